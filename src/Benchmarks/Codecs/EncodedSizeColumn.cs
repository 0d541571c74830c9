using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ShmIpc.Benchmarks.Codecs;

/// <summary>Adds "Encoded B": the encoded size of the benchmark's snapshot for its Codec and Instruments parameters.</summary>
public sealed class EncodedSizeColumn : IColumn
{
    public string Id => nameof(EncodedSizeColumn);

    public string ColumnName => "Encoded B";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Size;

    public string Legend => "Encoded size of the benchmark snapshot in bytes";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        string codec = (string)benchmarkCase.Parameters["Codec"];
        int instruments = (int)benchmarkCase.Parameters["Instruments"];
        return BenchmarkCodecs.Encode(BenchmarkCodecs.Create(codec), BenchmarkCodecs.Snapshot(instruments)).Length
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
