namespace ShmIpc.Codecs;

/// <summary>
/// A market snapshot as a plain in-memory model: a header (sequence, send time) and a contiguous
/// array of flat <see cref="InstrumentSnapshot"/> records. Reused across messages: the sender
/// refills it (<see cref="SnapshotGenerator.Fill"/>) and restamps <see cref="SendTimestampNs"/>.
/// Not thread-safe.
/// </summary>
public sealed class MarketSnapshot
{
    /// <summary>
    /// Largest instrument count any codec accepts (raw: about 7 MiB). Decoders reject larger counts
    /// before allocating or looping, so a corrupt count can never cause a huge allocation.
    /// </summary>
    public const int MaxInstrumentCount = 65_536;

    private InstrumentSnapshot[] _instruments;

    /// <summary>A snapshot with <paramref name="instrumentCount"/> zeroed instruments.</summary>
    public MarketSnapshot(int instrumentCount)
    {
        ValidateCount(instrumentCount);
        _instruments = new InstrumentSnapshot[instrumentCount];
        InstrumentCount = instrumentCount;
    }

    /// <summary>Sender's sequence number, increasing by one per snapshot.</summary>
    public long Sequence { get; set; }

    /// <summary>Sender's (intended) send time, <c>Stopwatch.GetTimestamp()</c> nanoseconds.</summary>
    public long SendTimestampNs { get; set; }

    /// <summary>Number of instruments in <see cref="Instruments"/>.</summary>
    public int InstrumentCount { get; private set; }

    /// <summary>The instruments, in place: write through it with <c>ref var i = ref Instruments[k]</c>.</summary>
    public Span<InstrumentSnapshot> Instruments => _instruments.AsSpan(0, InstrumentCount);

    /// <summary>
    /// Sets the instrument count, keeping the storage when it is large enough (no allocation
    /// when shrinking or regrowing within capacity). Instruments beyond the old count are zeroed.
    /// </summary>
    public void Resize(int instrumentCount)
    {
        ValidateCount(instrumentCount);
        if (instrumentCount > _instruments.Length)
        {
            Array.Resize(ref _instruments, instrumentCount);
        }
        else if (instrumentCount > InstrumentCount)
        {
            _instruments.AsSpan(InstrumentCount, instrumentCount - InstrumentCount).Clear();
        }

        InstrumentCount = instrumentCount;
    }

    /// <summary>True when header and every instrument value are equal.</summary>
    public bool ContentEquals(MarketSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Sequence == other.Sequence
            && SendTimestampNs == other.SendTimestampNs
            && Instruments.SequenceEqual(other.Instruments);
    }

    /// <summary>A deep copy (tests, tools; allocates).</summary>
    public MarketSnapshot Clone()
    {
        var copy = new MarketSnapshot(InstrumentCount) { Sequence = Sequence, SendTimestampNs = SendTimestampNs };
        Instruments.CopyTo(copy.Instruments);
        return copy;
    }

    internal static void ValidateCount(int instrumentCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(instrumentCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(instrumentCount, MaxInstrumentCount);
    }
}
