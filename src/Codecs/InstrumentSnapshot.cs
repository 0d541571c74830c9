using System.Runtime.InteropServices;

namespace ShmIpc.Codecs;

/// <summary>
/// One instrument of a snapshot, as a flat 112-byte little-endian record with no padding. This is
/// exactly the raw layout's instrument record and the FlatBuffers <c>Instrument</c> struct, so the
/// raw and FlatBuffers readers overlay it on the received bytes instead of copying fields.
/// Offsets are in <see cref="InstrumentSnapshotLayout"/>; a test checks this struct against them.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
public struct InstrumentSnapshot : IEquatable<InstrumentSnapshot>
{
    /// <summary>Exchange-assigned instrument id.</summary>
    public int InstrumentId;

    /// <summary>Last traded price in units of 10^-4.</summary>
    public int LastPrice;

    /// <summary>Cumulative traded volume in whole units.</summary>
    public long Volume;

    /// <summary>Cumulative turnover (sum of price × quantity) in units of 10^-4.</summary>
    public long Turnover;

    /// <summary>Exchange timestamp of the last update, CLOCK_MONOTONIC-style nanoseconds.</summary>
    public long ExchangeTimestampNs;

    /// <summary>Five bid levels, best (highest) first.</summary>
    public OrderBookLevels Bids;

    /// <summary>Five ask levels, best (lowest) first.</summary>
    public OrderBookLevels Asks;

    /// <summary>Compares all 112 bytes; the record has no padding, so bytes equal means values equal.</summary>
    public readonly bool Equals(InstrumentSnapshot other) =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<InstrumentSnapshot>(in this))
            .SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<InstrumentSnapshot>(in other)));

    /// <inheritdoc />
    public override readonly bool Equals(object? obj) => obj is InstrumentSnapshot other && Equals(other);

    /// <inheritdoc />
    public override readonly int GetHashCode() => HashCode.Combine(InstrumentId, LastPrice, Volume, ExchangeTimestampNs);

    /// <inheritdoc />
    public override readonly string ToString() =>
        $"#{InstrumentId} last {LastPrice} vol {Volume} bid {Bids[0]} ask {Asks[0]}";

    /// <summary>True when every field of the two instruments is equal.</summary>
    public static bool operator ==(InstrumentSnapshot left, InstrumentSnapshot right) => left.Equals(right);

    /// <summary>True when any field of the two instruments differs.</summary>
    public static bool operator !=(InstrumentSnapshot left, InstrumentSnapshot right) => !left.Equals(right);
}
