using System.Runtime.InteropServices;

namespace ShmIpc.Codecs;

/// <summary>
/// One level of an order book side: 8 bytes, little-endian, no padding.
/// Layout: price int32 at 0, quantity int32 at 4 (docs/snapshot-layout.md).
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public struct PriceLevel : IEquatable<PriceLevel>
{
    /// <summary>Size of one level in bytes.</summary>
    public const int Size = 8;

    /// <summary>Price in units of 10^-4 (<see cref="PriceScale.Scale"/>).</summary>
    public int Price;

    /// <summary>Quantity in whole units.</summary>
    public int Quantity;

    /// <summary>A level of <paramref name="price"/> (ticks) and <paramref name="quantity"/>.</summary>
    public PriceLevel(int price, int quantity)
    {
        Price = price;
        Quantity = quantity;
    }

    /// <inheritdoc />
    public readonly bool Equals(PriceLevel other) => Price == other.Price && Quantity == other.Quantity;

    /// <inheritdoc />
    public override readonly bool Equals(object? obj) => obj is PriceLevel other && Equals(other);

    /// <inheritdoc />
    public override readonly int GetHashCode() => HashCode.Combine(Price, Quantity);

    /// <inheritdoc />
    public override readonly string ToString() => $"{Quantity}@{Price}";

    /// <summary>True when price and quantity are equal.</summary>
    public static bool operator ==(PriceLevel left, PriceLevel right) => left.Equals(right);

    /// <summary>True when price or quantity differs.</summary>
    public static bool operator !=(PriceLevel left, PriceLevel right) => !left.Equals(right);
}
