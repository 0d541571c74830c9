namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Waits for a transport's send on the sender's own thread without allocating: a send that has to wait (the HTTP/2
/// writes always do) signals one reusable event instead of being turned into a Task (<c>AsTask()</c> allocates
/// per message, and the report would charge it to the transport's sender). One per sender; not thread-safe.
/// </summary>
internal sealed class ValueTaskWaiter : IDisposable
{
    private readonly ManualResetEventSlim _completed = new(initialState: false);
    private readonly Action _signal;

    public ValueTaskWaiter() => _signal = _completed.Set;

    /// <summary>Returns when <paramref name="sent"/> has completed; rethrows its failure.</summary>
    public void Wait(ValueTask sent)
    {
        if (!sent.IsCompleted)
        {
            _completed.Reset();
            // The continuation only sets the event (runs wherever the send completes, no context captured).
            sent.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_signal);
            _completed.Wait();
        }

        // Always: it rethrows a failure, and hands a pooled IValueTaskSource back to its pool.
        sent.GetAwaiter().GetResult();
    }

    public void Dispose() => _completed.Dispose();
}
