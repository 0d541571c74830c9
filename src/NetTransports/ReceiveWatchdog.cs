using System.Collections.Concurrent;

namespace ShmIpc.NetTransports;

/// <summary>
/// Closes connections whose peer wedges them: a frame begun but not finished within
/// <see cref="SubscriberOptions.FrameReadTimeout"/> (half a frame, or one trickled a byte at a time), or, when
/// <see cref="SubscriberOptions.IdleTimeout"/> is set, no bytes at all for that long. One timer per subscriber samples
/// every connection's <see cref="ConnectionCounters"/>: the receive loop reads no clock and makes no extra syscall
/// per frame, and a deadline is only judged while the loop waits for bytes (a slow handler is not the peer's fault).
/// A timeout is detected up to one tick (a quarter of the shorter timeout, at most 1 s) late.
/// </summary>
internal sealed class ReceiveWatchdog : IDisposable
{
    private static readonly TimeSpan LongestTick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ShortestTick = TimeSpan.FromMilliseconds(10);

    private readonly TimeSpan _frameReadTimeout;
    private readonly TimeSpan _idleTimeout;
    private readonly ConcurrentDictionary<Watched, byte> _watched = new();
    private readonly Timer? _timer;
    private int _ticking;

    public ReceiveWatchdog(SubscriberOptions options)
    {
        _frameReadTimeout = options.FrameReadTimeout;
        _idleTimeout = options.IdleTimeout;
        TimeSpan shorter = Shorter(_frameReadTimeout, _idleTimeout);
        if (shorter != Timeout.InfiniteTimeSpan)
        {
            TimeSpan tick = TimeSpan.FromTicks(Math.Clamp(shorter.Ticks / 4, ShortestTick.Ticks, LongestTick.Ticks));
            _timer = new Timer(static state => ((ReceiveWatchdog)state!).Tick(), this, tick, tick);
        }
    }

    /// <summary>
    /// Watches one connection until the returned handle is disposed. <paramref name="close"/> is called at most once,
    /// on the timer's thread, with the reason; it must make the pending read return (shut the socket down, abort the stream).
    /// </summary>
    public IDisposable Watch(ConnectionCounters counters, Action<string> close)
    {
        var watched = new Watched(this, counters, close, Environment.TickCount64);
        if (_timer is not null)
        {
            _watched.TryAdd(watched, 0);
        }

        return watched;
    }

    public void Dispose() => _timer?.Dispose();

    private static TimeSpan Shorter(TimeSpan first, TimeSpan second) =>
        first == Timeout.InfiniteTimeSpan ? second : second == Timeout.InfiniteTimeSpan ? first : first < second ? first : second;

    private void Tick()
    {
        // A timer may fire again while a slow tick still runs (a stalled machine): skip it, so a Watched is only ever
        // judged by one thread at a time.
        if (Interlocked.Exchange(ref _ticking, 1) != 0)
        {
            return;
        }

        try
        {
            JudgeAll();
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    private void JudgeAll()
    {
        long now = Environment.TickCount64;
        foreach (Watched watched in _watched.Keys)
        {
            string? reason = watched.Judge(now, _frameReadTimeout, _idleTimeout);
            if (reason is not null && _watched.TryRemove(watched, out _))
            {
                watched.Close(reason);
            }
        }
    }

    /// <summary>One connection's last sample. Touched by one tick at a time (<see cref="Tick"/> skips overlapping ones).</summary>
    private sealed class Watched(ReceiveWatchdog owner, ConnectionCounters counters, Action<string> close, long startMilliseconds) : IDisposable
    {
        private long _lastReads = -1;
        private long _lastFrames = -1;
        private long _quietSince = startMilliseconds;
        private long _frameSince = startMilliseconds;

        public string? Judge(long now, TimeSpan frameReadTimeout, TimeSpan idleTimeout)
        {
            long reads = counters.Reads;
            long frames = counters.Frames;
            long held = counters.HeldWhileWaiting;
            if (reads != _lastReads)
            {
                _lastReads = reads;
                _quietSince = now;
            }

            if (frames != _lastFrames || held <= 0)
            {
                // A frame completed, or none is begun, or the loop is busy: the clock of the current frame restarts.
                _lastFrames = frames;
                _frameSince = now;
            }

            if (held > 0 && frameReadTimeout != Timeout.InfiniteTimeSpan && now - _frameSince > (long)frameReadTimeout.TotalMilliseconds)
            {
                return $"read timeout: an incomplete frame ({held} bytes held) did not complete within {frameReadTimeout.TotalSeconds:0.###} s";
            }

            if (held == 0 && idleTimeout != Timeout.InfiniteTimeSpan && now - _quietSince > (long)idleTimeout.TotalMilliseconds)
            {
                return $"idle timeout: no bytes for {idleTimeout.TotalSeconds:0.###} s";
            }

            return null;
        }

        public void Close(string reason) => close(reason);

        public void Dispose() => owner._watched.TryRemove(this, out _);
    }
}
