namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>A second mapping of a ring's file, through which a test reads or writes shared state behind the ring's back.</summary>
internal sealed class SegmentView : IDisposable
{
    private readonly MappedFile _file;

    public SegmentView(string name, RingOptions options)
    {
        var stream = new FileStream(TestRing.PathOf(name), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        _file = new MappedFile(stream, RingLayout.DataOffset + options.Capacity);
    }

    public RingHeader Header => new(_file);

    /// <summary>Writes an intent into <paramref name="slot"/> owned by <paramref name="owner"/> (a producer stopped after its intent).</summary>
    public void PlantIntent(int slot, ulong owner, ulong replaced, ulong end)
    {
        ProducerSlot producer = Header.Slot(slot);
        producer.Owner = owner;
        producer.IntentReplaced = replaced;
        Volatile.Write(ref producer.IntentEnd, end);
    }

    public void Dispose() => _file.Dispose();
}
