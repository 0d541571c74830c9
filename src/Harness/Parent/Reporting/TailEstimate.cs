namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// One high percentile, measured and fitted (<see cref="TailModel"/>), ns: the fitted value with its 95 % bootstrap
/// interval, and whether the sample was too small for the measured value to mean much (fewer than 10 / (1 - p)
/// samples: fewer than ten beyond it).
/// </summary>
internal sealed record TailEstimate(double Percentile, long? MeasuredNs, double FittedNs, double LowerNs, double UpperNs, bool SampleTooSmall);
