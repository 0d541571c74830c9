using System.Globalization;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Orchestration;

/// <summary>Progress as plain lines on stderr: for CI logs and redirected output.</summary>
internal sealed class PlainProgress : IRunProgress
{
    private readonly TextWriter _writer;

    public PlainProgress(TextWriter writer) => _writer = writer;

    public void Phase(RunSettings settings, string text) => Write(settings, text);

    public void Running(RunSettings settings) =>
        Write(settings, string.Create(CultureInfo.InvariantCulture,
            $"running: {settings.Warmup.TotalSeconds:0.#} s warm-up, then {settings.Duration.TotalSeconds:0.#} s measured"));

    public void Finished(TransportResult result)
    {
        string latency = result.LatencyNs is null ? "no latency"
            : string.Create(CultureInfo.InvariantCulture, $"p50 {result.LatencyNs.P50 / 1000.0:0.0} µs, p99 {result.LatencyNs.P99 / 1000.0:0.0} µs");
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{result.Transport}/{result.Codec} {result.PayloadBytes}B] {result.Status}: {result.AchievedMsgPerSec:N0} msg/s, {latency}{(result.Reason is null ? "" : " — " + result.Reason)}"));
        _writer.Flush();
    }

    private void Write(RunSettings settings, string text)
    {
        _writer.WriteLine($"[{EnumNames.Of(settings.Transport)}/{settings.Codec} {settings.PayloadBytes}B] {text}");
        _writer.Flush();
    }
}
