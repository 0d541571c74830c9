using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ShmIpc.Codecs;

/// <summary>
/// A validated snapshot whose instruments are the encoded bytes themselves: the raw and FlatBuffers readers check the
/// header and the bounds, then overlay <see cref="InstrumentSnapshot"/> on the 112-byte records (no copy). Everything
/// the two formats do after that lives here once. Valid only as long as the underlying buffer.
/// </summary>
public readonly ref struct OverlaidSnapshot
{
    internal OverlaidSnapshot(long sequence, long sendTimestampNs, ReadOnlySpan<InstrumentSnapshot> instruments)
    {
        Sequence = sequence;
        SendTimestampNs = sendTimestampNs;
        Instruments = instruments;
    }

    /// <summary>The publisher's sequence number.</summary>
    public long Sequence { get; }

    /// <summary>The send time, CLOCK_MONOTONIC nanoseconds.</summary>
    public long SendTimestampNs { get; }

    /// <summary>How many instruments the snapshot holds.</summary>
    public int InstrumentCount => Instruments.Length;

    /// <summary>The instrument records, in place.</summary>
    public ReadOnlySpan<InstrumentSnapshot> Instruments { get; }

    /// <summary>Reads every value into a <see cref="SnapshotDigest"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SnapshotDigest ReadEveryField()
    {
        var checksum = new SnapshotChecksum();
        checksum.AddHeader(Sequence, SendTimestampNs, InstrumentCount);
        checksum.Add(Instruments);
        return new SnapshotDigest(Sequence, SendTimestampNs, InstrumentCount, checksum.Value);
    }

    /// <summary>Copies the snapshot into <paramref name="destination"/>, resized to the instrument count.</summary>
    public void CopyTo(MarketSnapshot destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Resize(InstrumentCount);
        destination.Sequence = Sequence;
        destination.SendTimestampNs = SendTimestampNs;
        Instruments.CopyTo(destination.Instruments);
    }

    /// <summary>
    /// The records, whose length the reader has checked to be a multiple of the record size, as instruments. The records
    /// are little-endian and unpadded, exactly <see cref="InstrumentSnapshot"/>'s layout; unaligned starts are fine on
    /// x64 and arm64.
    /// </summary>
    internal static ReadOnlySpan<InstrumentSnapshot> Overlay(ReadOnlySpan<byte> records)
    {
        ThrowIfHostIsBigEndian();
        return MemoryMarshal.Cast<byte, InstrumentSnapshot>(records);
    }

    /// <summary>The overlay (and the block copy the encoders make) assume a little-endian host; a JIT-time constant.</summary>
    internal static void ThrowIfHostIsBigEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The raw and FlatBuffers codecs overlay little-endian records on the bytes: they need a little-endian host.");
        }
    }
}
