using System.Text;
using HdrHistogram;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

public sealed class IntervalLogWriterTests
{
    private static readonly DateTimeOffset BaseTime = new(2026, 12, 3, 14, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<IntervalHistogram> Run(params long[][] valuesBySecond) =>
    [
        .. valuesBySecond.Select((values, second) =>
            new IntervalHistogram(second, 1, [.. values.GroupBy(value => value).Select(group => new[] { group.Key, (long)group.Count() })])),
    ];

    [Fact]
    public void TheLog_IsReadBackByHdrHistogramsOwnReader_IntervalByInterval_TaggedByRun()
    {
        IReadOnlyList<IReadOnlyList<IntervalHistogram>> runs =
        [
            Run([10_000, 10_000, 20_000], [3_000_000]),
            Run([50_000], []),
        ];
        var text = new StringWriter();
        IntervalLogWriter.Write(text, BaseTime, runs);

        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(text.ToString()));
        using var reader = new HistogramLogReader(stream);
        List<HistogramBase> read = [.. reader.ReadHistograms()];

        Assert.Equal(["run1", "run1", "run2", "run2"], read.Select(histogram => histogram.Tag));
        Assert.Equal([3L, 1L, 1L, 0L], read.Select(histogram => histogram.TotalCount));
        Assert.InRange(read[1].GetMaxValue(), 2_970_000, 3_030_000);
        // Start times are the window's seconds after the log's base time, in milliseconds since the epoch.
        long baseMilliseconds = BaseTime.ToUnixTimeMilliseconds();
        Assert.Equal([baseMilliseconds, baseMilliseconds + 1000, baseMilliseconds, baseMilliseconds + 1000], read.Select(histogram => histogram.StartTimeStamp));
        Assert.Equal(baseMilliseconds + 2000, read[1].EndTimeStamp);
    }

    [Fact]
    public void TheLog_IsAsciiWithTheFormatsHeader_AndTheMaxInMilliseconds()
    {
        var text = new StringWriter();
        IntervalLogWriter.Write(text, BaseTime, [Run([2_500_000])]);
        string[] lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("#[Histogram log format version 1.3]", lines[0]);
        Assert.StartsWith("#[StartTime: 1796306400.000 (seconds since epoch), 2026-12-03T14:00:00", lines[1], StringComparison.Ordinal);
        Assert.Equal("#[BaseTime: 1796306400.000 (seconds since epoch)]", lines[2]);
        Assert.Equal("\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"", lines[3]);
        Assert.Matches(@"^Tag=run1,0\.000,1\.000,2\.5\d\d,[A-Za-z0-9+/]+=*$", lines[4]);
        Assert.All(text.ToString(), character => Assert.True(character < 128));
    }
}
