using System.Globalization;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// A row's latency distribution read back from its .hgrm file (<see cref="ReportWriter.WriteHistogram"/>): each line's
/// percentile (0..1) and value in nanoseconds (the file holds microseconds).
/// </summary>
internal sealed record PercentileDistribution(IReadOnlyList<(double Percentile, double ValueNs)> Points)
{
    public static PercentileDistribution Read(string path) => Parse(File.ReadAllText(path));

    /// <summary>
    /// Reads the "Value Percentile TotalCount 1/(1-Percentile)" lines; the header, the '#' summary and the last line
    /// (p = 1, the max: it has no 1/(1-p), and no place on a 1/(1-p) axis) are skipped.
    /// </summary>
    public static PercentileDistribution Parse(string text)
    {
        var points = new List<(double, double)>();
        foreach (string line in text.Split('\n'))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 4
                && double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double micros)
                && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double percentile))
            {
                points.Add((percentile, micros * 1000));
            }
        }
        return new PercentileDistribution(points);
    }
}
