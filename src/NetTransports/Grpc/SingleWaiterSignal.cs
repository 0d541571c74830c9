using System.Threading.Tasks.Sources;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// An auto-reset event with at most one waiter at a time whose wait allocates nothing (one reusable
/// <see cref="IValueTaskSource"/>). A <see cref="Set"/> with nobody waiting is remembered, so a waiter that checks its
/// condition, releases its lock and only then waits cannot miss the wake-up; a remembered set can wake a waiter whose
/// condition is still false, so waiters re-check in a loop.
/// </summary>
internal sealed class SingleWaiterSignal : IValueTaskSource
{
    private readonly Lock _lock = new();
    private ManualResetValueTaskSourceCore<bool> _core;
    private bool _set;
    private bool _waiting;

    /// <param name="runContinuationsAsynchronously">
    /// False: the waiter resumes inside <see cref="Set"/>, on the setter's thread (no hop; the setter must hold no lock).
    /// True: it resumes on the thread pool.
    /// </param>
    public SingleWaiterSignal(bool runContinuationsAsynchronously) =>
        _core.RunContinuationsAsynchronously = runContinuationsAsynchronously;

    public ValueTask WaitAsync()
    {
        lock (_lock)
        {
            if (_set)
            {
                _set = false;
                return default;
            }

            if (_waiting)
            {
                throw new InvalidOperationException("the signal already has a waiter");
            }

            // The previous waiter has already taken its result (it could not wait again otherwise), so the core is free.
            _waiting = true;
            _core.Reset();
            return new ValueTask(this, _core.Version);
        }
    }

    public void Set()
    {
        lock (_lock)
        {
            if (!_waiting)
            {
                _set = true;
                return;
            }

            _waiting = false;
        }

        // Outside the lock: with inline continuations the waiter runs here, and may call WaitAsync again.
        _core.SetResult(true);
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
