namespace ShmIpc.Codecs;

/// <summary>
/// Fixed-point scale of every price and of turnover in a snapshot: a stored integer <c>n</c> means
/// <c>n / 10,000</c> units of the quote currency (four decimal places). Never floating point, so
/// every encoding carries the exact same value.
/// </summary>
public static class PriceScale
{
    /// <summary>Stored units per currency unit: 1.0000 is stored as 10,000.</summary>
    public const int Scale = 10_000;

    /// <summary>Decimal places carried by a stored price.</summary>
    public const int DecimalPlaces = 4;

    /// <summary>Converts a stored price to a decimal, for display only (never on a hot path).</summary>
    public static decimal ToDecimal(long scaledValue) => scaledValue / (decimal)Scale;
}
