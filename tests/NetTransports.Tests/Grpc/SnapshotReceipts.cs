using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>Receipts of <see cref="TestSnapshots"/>: each snapshot recorded by its sequence, intact if it hashes as the one sent.</summary>
internal sealed class SnapshotReceipts(int count)
{
    private readonly SequenceReceipts _receipts = new(count);

    public int Received => _receipts.Received;

    public void Record(Snapshot snapshot) =>
        _receipts.Record(snapshot.Sequence, TestSnapshots.Hash(snapshot) == TestSnapshots.Hash(TestSnapshots.Create(snapshot.Sequence)));

    /// <inheritdoc cref="SequenceReceipts.WaitForAsync"/>
    public Task WaitForAsync(int count, TimeSpan timeout) => _receipts.WaitForAsync(count, timeout);

    public void AssertEachReceivedOnceIntact() => _receipts.AssertEachReceivedOnceIntact();
}
