namespace ShmIpc.ShmRing.Tests;

/// <summary>
/// The descriptor derives each offset from the one before it; these are the numbers of docs/ring-layout.md, which a C
/// program relies on. A field added, widened or moved in RingLayout shows up here before it reaches a peer.
/// </summary>
public sealed class RingLayoutTests
{
    public static TheoryData<string, int, int> DocumentedOffsets => new()
    {
        { "magic", RingLayout.MagicOffset, 0 },
        { "layout version", RingLayout.VersionOffset, 8 },
        { "kind", RingLayout.KindOffset, 12 },
        { "capacity", RingLayout.CapacityOffset, 16 },
        { "max record size", RingLayout.MaxRecordSizeOffset, 24 },
        { "producer slot count", RingLayout.ProducerSlotCountOffset, 28 },
        { "data offset", RingLayout.DataOffsetOffset, 32 },
        { "file length", RingLayout.FileLengthOffset, 40 },
        { "tag key", RingLayout.TagKeyOffset, 48 },
        { "creator pid", RingLayout.CreatorPidOffset, 56 },
        { "creator start time", RingLayout.CreatorStartTimeOffset, 64 },
        { "creation time", RingLayout.CreationTimeOffset, 72 },
        { "producer position / claim word", RingLayout.ProducerPositionOffset, 128 },
        { "consumer position", RingLayout.ConsumerPositionOffset, 256 },
        { "cached consumer position", RingLayout.CachedConsumerPositionOffset, 384 },
        { "wake word", RingLayout.WakeWordOffset, 512 },
        { "consumer heartbeat", RingLayout.ConsumerHeartbeatOffset, 640 },
        { "consumer owner word", RingLayout.ConsumerOwnerOffset, 768 },
        { "consumer may sleep", RingLayout.ConsumerMaySleepOffset, 776 },
        { "producer slot 0", RingLayout.SlotOffset(0), 1024 },
        { "producer slot 62", RingLayout.SlotOffset(62), 1024 + (128 * 62) },
        { "slot owner word", RingLayout.SlotOwnerOffset, 0 },
        { "slot heartbeat", RingLayout.SlotHeartbeatOffset, 8 },
        { "slot intent end", RingLayout.SlotIntentEndOffset, 16 },
        { "slot intent replaced", RingLayout.SlotIntentReplacedOffset, 24 },
        { "data region", RingLayout.DataOffset, 12288 },
        { "record commit tag", RingLayout.RecordCommitOffset, 0 },
        { "record length", RingLayout.RecordLengthOffset, 8 },
        { "record payload length", RingLayout.RecordPayloadLengthOffset, 12 },
        { "record type", RingLayout.RecordTypeOffset, 16 },
        { "record claimed after", RingLayout.RecordClaimedAfterOffset, 24 },
        { "record header length", RingLayout.RecordHeaderLength, 64 },
    };

    [Theory]
    [MemberData(nameof(DocumentedOffsets))]
    public void EveryOffset_IsTheDocumentedOne(string field, int actual, int documented)
    {
        Assert.True(actual == documented, $"{field} is at {actual}, docs/ring-layout.md says {documented}");
    }

    [Fact]
    public void TheLastProducerSlot_EndsBeforeTheDataRegion()
    {
        Assert.Equal(63, RingLayout.ProducerSlotCount);
        Assert.True(RingLayout.SlotOffset(RingLayout.ProducerSlotCount - 1) + RingLayout.ProducerSlotLength <= RingLayout.DataOffset);
        Assert.Equal(0, RingLayout.DataOffset % RingLayout.PageLength);
    }
}
