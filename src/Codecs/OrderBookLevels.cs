using System.Runtime.CompilerServices;

namespace ShmIpc.Codecs;

/// <summary>
/// The five levels of one side of an instrument's book, best first, stored inline (40 bytes):
/// no array object, so an <see cref="InstrumentSnapshot"/> is one flat 112-byte record.
/// Index it like an array (<c>levels[0]</c>) or view it as a <see cref="Span{T}"/>.
/// </summary>
[InlineArray(Count)]
public struct OrderBookLevels
{
    /// <summary>Levels per side, in every encoding.</summary>
    public const int Count = 5;

    /// <summary>Size of one side in bytes.</summary>
    public const int Size = Count * PriceLevel.Size;

    // The first element of the inline array; the runtime lays out Count of them.
    private PriceLevel _level0;
}
