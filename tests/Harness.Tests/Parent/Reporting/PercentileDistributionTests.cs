using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

public sealed class PercentileDistributionTests
{
    [Fact]
    public void Parse_ReadsEachLine_InNanoseconds_SkippingHeaderAndSummary()
    {
        const string Hgrm = """
                   Value     Percentile TotalCount 1/(1-Percentile)

                   1.535 0.000000000000          1           1.00
                  12.500 0.990000000000        990         100.00
                  90.000 1.000000000000       1000
            #[Mean    =        2.000, StdDeviation   =        1.000]
            #[Max     =       90.000, Total count    =         1000]
            """;
        PercentileDistribution distribution = PercentileDistribution.Parse(Hgrm);
        Assert.Equal([(0.0, 1535.0), (0.99, 12_500.0)], distribution.Points);
    }
}
