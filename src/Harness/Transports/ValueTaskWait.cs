namespace ShmIpc.Harness.Transports;

/// <summary>Waits for a transport's send on the sender's own dedicated thread.</summary>
internal static class ValueTaskWait
{
    /// <summary>Returns at once when the send completed synchronously (the usual case: no allocation); blocks for backpressure otherwise.</summary>
    public static void Wait(ValueTask sent)
    {
        if (!sent.IsCompletedSuccessfully)
        {
            sent.AsTask().GetAwaiter().GetResult();
        }
    }
}
