using System.Diagnostics;
using ShmIpc.Harness.Parent.HostLoad;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Parent.HostLoad;

public sealed class WindowLoadSamplerTests
{
    /// <summary>
    /// A real process spinning through a real window: the sampler must see it as other work. (A quiet window cannot
    /// be asserted on a shared machine; a busy one only gets busier.)
    /// </summary>
    [Fact]
    public async Task ABusyProcessDuringTheWindow_MakesTheWindowNoisy()
    {
        using var busy = Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!;
        try
        {
            long start = MonotonicClock.NowNanoseconds() + 100_000_000;
            WindowLoad? load = await WindowLoadSampler.MeasureAsync(start, start + 1_000_000_000, CancellationToken.None);
            Assert.NotNull(load);
            Assert.InRange(load!.Seconds, 0.9, 2.0);

            // The harness here is this test process alone: the sampler adds its own (parent) CPU.
            HostInterference interference = HostInterference.Over(load, harnessCpuSeconds: 0);
            Assert.True(interference.Noisy, $"{interference}");
            // The spinning shell alone is most of a core, whatever else shares the machine.
            Assert.True(interference.OtherProcessesPercent > 50, $"{interference}");
        }
        finally
        {
            busy.Kill();
            await busy.WaitForExitAsync();
        }
    }
}
