using System.Globalization;
using HdrHistogram;
using HdrHistogram.Utilities;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// HdrHistogram's interval log (<c>.hlog</c>, log format 1.3), which its tools read (HistogramLogProcessor, the
/// HdrHistogram visualizers): one line per interval of the window, tagged with the run it came from (<c>run1</c>,
/// <c>run2</c>, ...), start times in seconds from the window's start (the log's BaseTime), interval max in
/// milliseconds (the format's unit for nanosecond values). Written here in ASCII: HdrHistogram.NET's own
/// <see cref="HistogramLogWriter"/> writes UTF-16, which those tools do not read.
/// </summary>
internal static class IntervalLogWriter
{
    private const double NanosecondsPerMaxUnit = 1e6;

    public static void Write(TextWriter writer, DateTimeOffset baseTime, IReadOnlyList<IReadOnlyList<IntervalHistogram>> runs)
    {
        double baseSeconds = baseTime.ToUnixTimeMilliseconds() / 1000.0;
        writer.Write("#[Histogram log format version 1.3]\n");
        writer.Write(Text($"#[StartTime: {baseSeconds:F3} (seconds since epoch), {baseTime.UtcDateTime:o}]\n"));
        writer.Write(Text($"#[BaseTime: {baseSeconds:F3} (seconds since epoch)]\n"));
        writer.Write("\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n");
        for (int run = 0; run < runs.Count; run++)
        {
            foreach (IntervalHistogram interval in runs[run])
            {
                LongHistogram histogram = LatencyIntervals.Create();
                foreach (long[] pair in interval.Histogram)
                {
                    histogram.RecordValueWithCount(pair[0], pair[1]);
                }
                double max = histogram.TotalCount == 0 ? 0 : histogram.GetMaxValue() / NanosecondsPerMaxUnit;
                writer.Write(Text($"Tag=run{run + 1},{interval.StartSeconds:F3},{interval.LengthSeconds:F3},{max:F3},{Encode(histogram)}\n"));
            }
        }
    }

    /// <summary>The histogram in HdrHistogram's compressed encoding, base64 (the log's last column).</summary>
    private static string Encode(HistogramBase histogram)
    {
        ByteBuffer buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        int length = histogram.EncodeIntoCompressedByteBuffer(buffer);
        // The buffer's array is not public: read the encoding back byte by byte (once per interval, in the parent).
        byte[] bytes = new byte[length];
        buffer.Position = 0;
        for (int i = 0; i < length; i++)
        {
            bytes[i] = buffer.Get();
        }
        return Convert.ToBase64String(bytes);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
