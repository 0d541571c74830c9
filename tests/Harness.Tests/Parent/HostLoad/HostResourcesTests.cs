using System.Diagnostics;
using ShmIpc.Harness.Parent.HostLoad;

namespace ShmIpc.Harness.Tests.Parent.HostLoad;

public sealed class HostResourcesTests
{
    [Fact]
    public async Task Snapshot_SeesAChildProcessWhileItRuns_AndNotOnceItIsGone()
    {
        HostResources before = HostResources.Snapshot();
        using var child = Process.Start(new ProcessStartInfo("sleep", ["30"]) { UseShellExecute = false })!;
        try
        {
            HostResources during = HostResources.Snapshot();
            Assert.Contains(child.Id, during.ChildProcessIds);
            Assert.DoesNotContain(child.Id, before.ChildProcessIds);
            Assert.True(during.ParentThreads > 0 && during.ParentFileDescriptors > 0, $"{during}");
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync();
        }
        Assert.DoesNotContain(child.Id, HostResources.Snapshot().ChildProcessIds);
    }
}
