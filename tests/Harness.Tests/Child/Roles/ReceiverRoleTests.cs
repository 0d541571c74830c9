using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Child.Roles;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Child.Roles;

public sealed class ReceiverRoleTests
{
    [Fact]
    public async Task OnAThreadPoolWorker_ItRefusesToRun_BeforeItOpensItsTransport()
    {
        // A receiver waiting on a pool worker for the whole run leaves the pool one short for its transport's reads.
        var control = new UnusedControl();
        var role = new ReceiverRole(TestSettings.For(TransportKind.Grpc), control);

        await RoleThreadTests.AssertRefusedOnAPoolWorkerAsync(role.Run, "receiver");

        Assert.False(control.Touched);
    }

    private sealed class UnusedControl : IReceiverControl
    {
        public bool Touched { get; private set; }

        public bool StartsAtFirstMessage => false;

        public void Ready(string endpoint) => Touched = true;

        public bool TryWaitForStart(out long runStartNanoseconds)
        {
            Touched = true;
            runStartNanoseconds = 0;
            return false;
        }

        public bool TryWaitForSenderDone(LatencyRecording recording, Func<bool> receiverFailed, out long? messagesSent)
        {
            Touched = true;
            messagesSent = null;
            return false;
        }

        public void Report(ReceiverReport report) => Touched = true;
    }
}
