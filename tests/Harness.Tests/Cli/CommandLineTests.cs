using System.CommandLine;
using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Cli;
using ShmIpc.Harness.Parent;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Cli;

public sealed class CommandLineTests
{
    private static IReadOnlyList<string> Errors(params string[] args) =>
        HarnessCommandLine.Build().Parse(args).Errors.Select(error => error.Message).ToList();

    [Theory]
    [InlineData("--qps", "fast", "--qps")]
    [InlineData("--payload", "huge", "--payload")]
    [InlineData("--transports", "shm,pigeon", "pigeon")]
    [InlineData("--warmup", "soon", "--warmup")]
    [InlineData("--duration", "1ms", "too short")]
    [InlineData("--connections", "0", "--connections")]
    [InlineData("--pin", "7,8,9", "--pin")]
    [InlineData("--codec", "xml", "xml")]
    [InlineData("--shm-wait", "fast", "fast")]
    [InlineData("--shm-wait", "fast", "'yield'")]
    [InlineData("--shm-pretouch", "maybe", "maybe")]
    [InlineData("--format", "pdf", "pdf")]
    [InlineData("--runs", "0", "--runs")]
    [InlineData("--batch", "lots", "--batch")]
    [InlineData("--batch", "32m", "--batch")]
    public void BadOptions_GiveAnErrorNamingTheOptionOrValue(string option, string value, string expected)
    {
        IReadOnlyList<string> errors = Errors("compare", option, value);
        Assert.NotEmpty(errors);
        Assert.Contains(errors, error => error.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Pin_ToACpuThisProcessMayNotUse_GivesAnErrorNamingTheOption()
    {
        // One past the highest allowed CPU: never allowed, whatever the machine's size (a fixed 63 is valid on 64 CPUs).
        IReadOnlyList<int> allowed = CpuAffinity.AllowedCpus();
        IReadOnlyList<string> errors = Errors("compare", "--pin", $"{allowed[0]},{allowed.Max() + 1}");
        Assert.Contains(errors, error => error.Contains("--pin", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_AreTheSeedArticlesTest()
    {
        ParseResult parse = HarnessCommandLine.Build().Parse(["compare"]);
        Assert.Empty(parse.Errors);
        Assert.Equal(50_000, parse.GetValue<double>("--qps"));
        Assert.Equal(16384, parse.GetValue<int>("--payload"));
        Assert.Equal(TimeSpan.FromSeconds(10), parse.GetValue<TimeSpan>("--warmup"));
        Assert.Equal(TimeSpan.FromSeconds(60), parse.GetValue<TimeSpan>("--duration"));
        Assert.Equal(256, parse.GetValue<int>("--connections"));
        Assert.Equal(64 * 1024, parse.GetValue<int>("--batch"));
        Assert.Equal(0, HarnessCommandLine.Build().Parse(["compare", "--batch", "0"]).GetValue<int>("--batch"));
        Assert.Equal(["shm", "grpc", "fb", "msgpack", "uds", "grpc-uds"], parse.GetValue<IReadOnlyList<string>>("--transports"));
    }

    [Fact]
    public void QpsMax_MeansFlatOut()
    {
        ParseResult parse = HarnessCommandLine.Build().Parse(["compare", "--qps", "max"]);
        Assert.Empty(parse.Errors);
        Assert.Equal(0, parse.GetValue<double>("--qps"));
    }

    [Fact]
    public void Sweep_ParsesSizes()
    {
        ParseResult parse = HarnessCommandLine.Build().Parse(["sweep", "--sizes", "1k,16k,64k"]);
        Assert.Empty(parse.Errors);
        Assert.Equal([1024, 16384, 65536], parse.GetValue<IReadOnlyList<int>>("--sizes"));
        Assert.NotEmpty(Errors("sweep", "--sizes", "1k,lots"));
    }

    [Fact]
    public void TheOptions_AreReadOnce_IntoTypedSettings()
    {
        var options = new HarnessOptions();
        var compare = new Command("compare");
        foreach (Option option in options.ForCompare())
        {
            compare.Options.Add(option);
        }
        ParseResult parse = compare.Parse(["--transports", "msgpack,SHM", "--shm-wait", "block", "--shm-pretouch", "off", "--quick", "--qps", "max", "--pin", "none", "--format", "csv", "--codec", "fb"]);
        Assert.Empty(parse.Errors);

        ComparisonRequest request = options.ReadComparison(parse, [4096]);

        Assert.Equal([TransportKind.MessagePackTcp, TransportKind.SharedMemory], request.Transports);
        Assert.Equal(ReportFormat.Csv, request.Format);
        Assert.Equal(new RunOptions(null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), 256, 64 * 1024, "fb", ShmWaitStrategy.Block, null, false, ShmPretouch: false), request.Options);
        Assert.True(options.ReadRunOptions(compare.Parse([])).ShmPretouch);
    }

    [Fact]
    public void AnOptionACommandDoesNotOffer_ReadsAsItsTypesDefault()
    {
        var options = new HarnessOptions();
        var serve = new Command("serve") { options.Payload, options.Warmup, options.Duration, options.Codec, options.ShmWait };

        RunOptions read = options.ReadRunOptions(serve.Parse([]));

        Assert.Equal(new RunOptions(null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), 0, 0, null, ShmWaitStrategy.Spin, null, false), read);
    }
}
