using System.Globalization;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;
using Spectre.Console;

namespace ShmIpc.Harness.Parent.Orchestration;

/// <summary>Progress on a terminal: a Spectre.Console status line (redrawn only when it changes), and a line per finished row.</summary>
internal sealed class LiveProgress : IRunProgress
{
    private readonly StatusContext _status;

    public LiveProgress(StatusContext status) => _status = status;

    public void Phase(RunSettings settings, string text)
    {
        _status.Status(Markup.Escape($"{Label(settings)}: {text}"));
        _status.Refresh();
    }

    public void Running(RunSettings settings)
    {
        _status.Status(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{Label(settings)}: {settings.Warmup.TotalSeconds:0.#} s warm-up + {settings.Duration.TotalSeconds:0.#} s measured at {(settings.MessagesPerSecond is double rate ? rate.ToString("N0", CultureInfo.InvariantCulture) + " msg/s" : "max rate")}")));
        // Drawn once, then left alone: the parent must stay idle while the children measure.
        _status.Refresh();
    }

    public void Finished(TransportResult result)
    {
        string latency = result.LatencyNs is null ? "" : string.Create(CultureInfo.InvariantCulture, $", p50 {result.LatencyNs.P50 / 1000.0:0.0} µs, p99 {result.LatencyNs.P99 / 1000.0:0.0} µs");
        string colour = result.Status switch
        {
            TransportResult.StatusOk => "green",
            TransportResult.StatusBehind or TransportResult.StatusBacklog => "yellow",
            _ => "red",
        };
        AnsiConsole.MarkupLine($"[{colour}]{Markup.Escape(result.Status)}[/] " + Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{result.Transport}/{result.Codec} {result.PayloadBytes} B: {result.AchievedMsgPerSec:N0} msg/s{latency}{(result.Reason is null ? "" : " — " + result.Reason)}")));
    }

    private static string Label(RunSettings settings) => $"{EnumNames.Of(settings.Transport)}/{settings.Codec} {settings.PayloadBytes} B";
}
