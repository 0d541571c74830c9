using ShmIpc.Harness.Child.Roles;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Child.Roles;

public sealed class SenderRoleTests
{
    [Fact]
    public async Task OnAThreadPoolWorker_ItRefusesToRun_BeforeItConnects()
    {
        // A schedule on a pool worker leaves the pool one short for the sends' completions (0.7 s stalls, measured).
        var control = new UnusedControl();
        var role = new SenderRole(TestSettings.For(TransportKind.Grpc), "127.0.0.1:1", control);

        await RoleThreadTests.AssertRefusedOnAPoolWorkerAsync(role.Run, "sender");

        Assert.False(control.Touched);
    }

    private sealed class UnusedControl : ISenderControl
    {
        public bool Touched { get; private set; }

        public Func<bool> StopRequested => () => Touched = true;

        public void Ready() => Touched = true;

        public bool TryWaitForStart(out long runStartNanoseconds)
        {
            Touched = true;
            runStartNanoseconds = 0;
            return false;
        }

        public void Report(SenderReport report) => Touched = true;
    }
}
