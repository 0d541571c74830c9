using System.Threading.Tasks.Sources;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// An auto-reset event with at most one waiter at a time whose wait allocates nothing (one reusable
/// <see cref="IValueTaskSource"/>) and takes no lock. A <see cref="Set"/> with nobody waiting is remembered, so a
/// waiter that checks its condition and only then waits cannot miss the wake-up; a remembered set can wake a waiter
/// whose condition is still false, so waiters re-check in a loop.
/// </summary>
/// <remarks>
/// One state word moved by CAS: idle, set (remembered) or waiting. Only a waiter moves it to waiting, and only a setter
/// that moves it from waiting completes the core, so the core is reset only while nobody can complete it. A waiter
/// that polls is told "completed" only once <see cref="Set"/> is done with the core (the core shows completion before
/// its setter has finished with it); one told "pending" registers a continuation, which the core runs either way.
/// </remarks>
internal sealed class SingleWaiterSignal : IValueTaskSource
{
    private const int Idle = 0;
    private const int Signaled = 1;
    private const int Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core;
    private int _state;
    private int _setDoneVersion = -1; // the version of the last wait whose Set has returned from the core

    /// <param name="runContinuationsAsynchronously">
    /// False: the waiter resumes inside <see cref="Set"/>, on the setter's thread (no hop).
    /// True: it resumes on the thread pool.
    /// </param>
    public SingleWaiterSignal(bool runContinuationsAsynchronously) =>
        _core.RunContinuationsAsynchronously = runContinuationsAsynchronously;

    public ValueTask WaitAsync()
    {
        while (true)
        {
            // SYNC POINT full fence (CAS), partner Set's CAS to Signaled: what the setter wrote before it is visible.
            int state = Interlocked.CompareExchange(ref _state, Idle, Signaled);
            if (state == Signaled)
            {
                return default;
            }

            if (state == Waiting)
            {
                throw new InvalidOperationException("the signal already has a waiter");
            }

            // The previous waiter has already taken its result (it could not wait again otherwise), and no setter
            // completes the core until the state says Waiting, so the core is free.
            _core.Reset();
            short version = _core.Version;

            // SYNC POINT full fence (CAS), partner Set's CAS from Waiting: the reset core is published with the waiter.
            if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Idle)
            {
                return new ValueTask(this, version);
            }

            // A set arrived between the two: take it on the next pass.
        }
    }

    public void Set()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state); // SYNC POINT acquire, partner the waiter's CAS to Waiting
            if (state == Signaled)
            {
                return; // already remembered
            }

            // SYNC POINT full fence (CAS), partner the waiter's CAS (to Waiting, or from Signaled).
            if (Interlocked.CompareExchange(ref _state, state == Waiting ? Idle : Signaled, state) == state)
            {
                if (state == Waiting)
                {
                    // This setter alone took the waiter; with inline continuations it runs here and may wait again.
                    short version = _core.Version;
                    _core.SetResult(true);
                    Volatile.Write(ref _setDoneVersion, version); // SYNC POINT release, partner GetStatus's acquire
                }

                return;
            }
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token)
    {
        ValueTaskSourceStatus status = _core.GetStatus(token);
        // SYNC POINT acquire, partner Set's release store of _setDoneVersion.
        return status != ValueTaskSourceStatus.Pending && Volatile.Read(ref _setDoneVersion) != token ? ValueTaskSourceStatus.Pending : status;
    }

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
