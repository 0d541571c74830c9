namespace ShmIpc.Harness.Child.Roles;

/// <summary>
/// Where a role runs: on the thread that calls it (the process's main thread), never on a thread-pool worker. A role
/// holds its thread for the whole run and waits there, while its transport's sends, reads and completions run on the
/// pool's workers; on a worker it leaves the pool one short, and the pool adds one only every 0.5 s (0.6–0.9 s stalls,
/// docs/benchmarks.md, thirteenth session).
/// </summary>
internal static class RoleThread
{
    public static void ThrowIfPoolWorker(string role)
    {
        if (Thread.CurrentThread.IsThreadPoolThread)
        {
            throw new InvalidOperationException($"the {role} runs on a thread of its own (the process's main thread), never on a thread-pool worker: its transport's work runs on the pool's workers");
        }
    }
}
