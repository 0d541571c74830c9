using Google.Protobuf;
using ShmIpc.Codecs.Protobuf;
using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.NetTransports.Tests.Grpc;

public sealed class ReusableSnapshotTests
{
    [Fact]
    public void AnInstrumentsUnknownFields_DoNotPileUpWhenItIsReused()
    {
        byte[] wire = SnapshotWithUnknownInstrumentField(instrumentId: 42);
        var snapshot = new ReusableSnapshot();
        snapshot.MergeFrom(wire);
        int firstSize = snapshot.Message.Instruments[0].CalculateSize();

        for (int parse = 0; parse < 10; parse++)
        {
            snapshot.MergeFrom(wire);
        }

        Instrument instrument = Assert.Single(snapshot.Message.Instruments);
        Assert.Equal(42, instrument.InstrumentId);
        Assert.Equal(firstSize, instrument.CalculateSize());
    }

    [Fact]
    public void AFeedSizedSnapshot_GoesBackToThePool()
    {
        var snapshot = new ReusableSnapshot();
        byte[] wire = EmptyInstruments(128);
        snapshot.PayloadLength = wire.Length;
        snapshot.MergeFrom(wire);

        Assert.Equal(128, snapshot.Message.Instruments.Count);
        Assert.True(new ReusableSnapshotPolicy().Return(snapshot));
    }

    [Fact]
    public void ASnapshotThatParsedTooManyInstruments_IsLeftToTheGarbageCollector()
    {
        var snapshot = new ReusableSnapshot();
        byte[] wire = EmptyInstruments(ReusableSnapshot.MaximumRetainedInstruments + 1);
        snapshot.PayloadLength = wire.Length;
        snapshot.MergeFrom(wire);

        Assert.False(new ReusableSnapshotPolicy().Return(snapshot));
    }

    [Fact]
    public void ASnapshotThatParsedAHugeMessage_IsLeftToTheGarbageCollector_EvenAfterSmallOnes()
    {
        var snapshot = new ReusableSnapshot
        {
            PayloadLength = ReusableSnapshot.MaximumRetainedPayloadLength + 1,
        };
        snapshot.PayloadLength = 100;

        Assert.False(new ReusableSnapshotPolicy().Return(snapshot));
    }

    /// <summary>One instrument carrying field 15 (varint 7), which snapshot.proto does not define.</summary>
    private static byte[] SnapshotWithUnknownInstrumentField(int instrumentId)
    {
        byte[] known = new Instrument { InstrumentId = instrumentId }.ToByteArray();
        byte[] instrument = [.. known, 15 << 3, 7];
        var message = new MemoryStream();
        var output = new CodedOutputStream(message);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt64(1);
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(instrument));
        output.Flush();
        return message.ToArray();
    }

    /// <summary>A snapshot of <paramref name="count"/> empty instruments (2 bytes each on the wire).</summary>
    private static byte[] EmptyInstruments(int count)
    {
        var message = new MemoryStream();
        var output = new CodedOutputStream(message);
        for (int index = 0; index < count; index++)
        {
            output.WriteTag(3, WireFormat.WireType.LengthDelimited);
            output.WriteLength(0);
        }
        output.Flush();
        return message.ToArray();
    }
}
