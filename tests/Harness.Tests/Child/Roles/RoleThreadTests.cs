using ShmIpc.Harness.Child.Roles;

namespace ShmIpc.Harness.Tests.Child.Roles;

public sealed class RoleThreadTests
{
    [Fact]
    public void OnItsOwnThread_ARoleMayRun()
    {
        Exception? failure = null;
        var thread = new Thread(() => failure = Record.Exception(() => RoleThread.ThrowIfPoolWorker("sender")));
        thread.Start();
        thread.Join();
        Assert.Null(failure);
    }

    /// <summary>What a role's Run does when called on a pool worker: refuses, naming the role, before anything else.</summary>
    internal static async Task AssertRefusedOnAPoolWorkerAsync(Func<int> run, string role)
    {
        InvalidOperationException refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Task.Run(run));
        Assert.StartsWith($"the {role} runs on a thread of its own", refused.Message, StringComparison.Ordinal);
        Assert.Contains("never on a thread-pool worker", refused.Message, StringComparison.Ordinal);
    }
}
