using System.Buffers;

namespace ShmIpc.NetTransports.Tests;

/// <summary>Receipts of <see cref="TestFrames"/>: each payload recorded by the sequence it carries, intact if its hash is the one sent.</summary>
internal sealed class FrameReceipts(int frameCount)
{
    private readonly SequenceReceipts _receipts = new(frameCount);

    public int Received => _receipts.Received;

    public void Record(in ReadOnlySequence<byte> payload) => _receipts.Record(TestFrames.SequenceOf(payload), TestFrames.IsIntact(payload));

    /// <inheritdoc cref="SequenceReceipts.WaitForAsync"/>
    public Task WaitForAsync(int frameCount, TimeSpan timeout) => _receipts.WaitForAsync(frameCount, timeout);

    public void AssertEachReceivedOnceIntact() => _receipts.AssertEachReceivedOnceIntact();
}
