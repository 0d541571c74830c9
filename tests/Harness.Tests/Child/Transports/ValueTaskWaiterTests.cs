using System.Threading.Tasks.Sources;
using ShmIpc.Harness.Child.Transports;

namespace ShmIpc.Harness.Tests.Child.Transports;

public sealed class ValueTaskWaiterTests
{
    [Fact]
    public void ASendThatWaits_IsWaitedFor_WithoutAllocatingOnTheSenderThread()
    {
        using var waiter = new ValueTaskWaiter();
        using var source = new ReusableSource();
        var completer = new Thread(source.CompleteEachAfterAPause) { IsBackground = true };
        completer.Start();
        // Warm both ways a wait can end: satisfied while spinning (the 0.2 ms pauses) and blocked in the monitor (a
        // pause longer than the event spins). The event creates its lock object only the first time spinning gives up:
        // warmed on spinning alone, that one-off 24 B lands in the measured loop whenever a pause there outlasts the spin.
        source.PauseOfTheNext(2, TimeSpan.FromMilliseconds(50));
        for (int i = 0; i < 5; i++)
        {
            waiter.Wait(source.Next()); // also the JIT's first tiers
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            waiter.Wait(source.Next());
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        source.Stop();
        completer.Join();
        Assert.Equal(55, source.Completed);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void AFailedSend_Throws_ItsException()
    {
        using var waiter = new ValueTaskWaiter();
        ValueTask failing = new(Task.Run(async () =>
        {
            await Task.Delay(20);
            throw new IOException("peer gone");
        }));
        Assert.Equal("peer gone", Assert.Throws<IOException>(() => waiter.Wait(failing)).Message);
        waiter.Wait(ValueTask.CompletedTask);
    }

    /// <summary>
    /// A send that completes on another thread ~0.2 ms (or a chosen pause) after the waiter has registered for it, from one reusable source
    /// (as pooled sends do). Completing only after registration keeps the test to the case it names: a completion that
    /// races the registration makes <see cref="ManualResetValueTaskSourceCore{TResult}"/> queue the continuation as a new
    /// Task on the registering thread (rare, and the source's allocation, not the waiter's).
    /// </summary>
    private sealed class ReusableSource : IValueTaskSource, IDisposable
    {
        private readonly SemaphoreSlim _started = new(0);
        private ManualResetValueTaskSourceCore<bool> _core;
        private volatile bool _stopping;
        private int _longPauses;
        private TimeSpan _longPause;

        public int Completed { get; private set; }

        public ValueTask Next()
        {
            _core.Reset();
            return new ValueTask(this, _core.Version);
        }

        /// <summary>The next <paramref name="count"/> sends complete after <paramref name="pause"/> instead; call before they start.</summary>
        public void PauseOfTheNext(int count, TimeSpan pause)
        {
            _longPause = pause;
            Volatile.Write(ref _longPauses, count);
        }

        public void CompleteEachAfterAPause()
        {
            while (true)
            {
                _started.Wait();
                if (_stopping)
                {
                    return;
                }
                bool longPause = Volatile.Read(ref _longPauses) > 0;
                Thread.Sleep(longPause ? _longPause : TimeSpan.FromTicks(2_000));
                if (longPause)
                {
                    Interlocked.Decrement(ref _longPauses);
                }

                Completed++;
                _core.SetResult(true);
            }
        }

        public void Stop()
        {
            _stopping = true;
            _started.Release();
        }

        public void Dispose() => _started.Dispose();

        public void GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        {
            _core.OnCompleted(continuation, state, token, flags);
            _started.Release(); // the waiter is registered: now the send may complete
        }
    }
}
