namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>
/// A stand-in for an HTTP/2 request stream whose writes the test completes by hand: it records every write's bytes and
/// size and counts flushes; while <see cref="Gated"/>, each write stays in flight until <see cref="OpenGate"/>. The
/// gate's continuations run inline, so when <see cref="OpenGate"/> returns, whatever the writer's pump does next up
/// to its next write has happened. <see cref="FailWith"/> fails the next write, or the one in flight. A write's bytes
/// must stay as they were until it completes (a real connection may read them late); completing one whose bytes the
/// writer changed meanwhile throws.
/// </summary>
internal sealed class GatedStream : Stream
{
    private readonly Lock _lock = new();
    private readonly List<byte> _bytes = [];
    private readonly List<int> _writeSizes = [];
    private TaskCompletionSource? _gate;
    private ReadOnlyMemory<byte> _inFlight;
    private byte[] _inFlightBytes = [];
    private int _flushes;

    public bool Gated { get; set; }

    public Exception? FailWith { get; set; }

    public bool WriteInFlight
    {
        get
        {
            lock (_lock)
            {
                return _gate is not null;
            }
        }
    }

    public byte[] Bytes
    {
        get
        {
            lock (_lock)
            {
                return [.. _bytes];
            }
        }
    }

    public int[] WriteSizes
    {
        get
        {
            lock (_lock)
            {
                return [.. _writeSizes];
            }
        }
    }

    public int Flushes => Volatile.Read(ref _flushes);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (FailWith is { } failure)
            {
                return ValueTask.FromException(failure);
            }

            Assert.Null(_gate); // the writer under test never has two writes in flight
            _bytes.AddRange(buffer.Span);
            _writeSizes.Add(buffer.Length);
            if (!Gated)
            {
                return default;
            }

            _gate = new TaskCompletionSource();
            _inFlight = buffer;
            _inFlightBytes = buffer.ToArray();
            return new ValueTask(_gate.Task);
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _flushes);
        return Task.CompletedTask;
    }

    /// <summary>Completes the write in flight (inline: the pump's next step runs before this returns).</summary>
    public void OpenGate()
    {
        TaskCompletionSource gate = TakeGate();
        RunInline(() => gate.SetResult());
    }

    /// <summary>Completes each write as it comes in flight, until <paramref name="done"/> has completed.</summary>
    public async Task OpenGateUntilAsync(Task done)
    {
        while (!done.IsCompleted)
        {
            if (WriteInFlight)
            {
                OpenGate();
            }
            else
            {
                await Task.Yield();
            }
        }
    }

    /// <summary>Fails the write in flight with <paramref name="failure"/>, and every later write.</summary>
    public void FailInFlight(Exception failure)
    {
        FailWith = failure;
        TaskCompletionSource gate = TakeGate();
        RunInline(() => gate.SetException(failure));
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush() => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// A task's continuations run inline only where no synchronization context is current (xUnit sets one on its test
    /// threads); HttpClient completes writes on thread-pool threads, which have none.
    /// </summary>
    private static void RunInline(Action complete)
    {
        SynchronizationContext? context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            complete();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private TaskCompletionSource TakeGate()
    {
        lock (_lock)
        {
            TaskCompletionSource gate = _gate ?? throw new InvalidOperationException("no write in flight");
            _gate = null;
            if (!_inFlight.Span.SequenceEqual(_inFlightBytes))
            {
                throw new InvalidOperationException("the writer changed the bytes of a write in flight");
            }

            _inFlight = default;
            return gate;
        }
    }
}
