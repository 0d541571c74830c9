namespace ShmIpc.NetTransports;

/// <summary>
/// The request-per-message connections' bound on requests in flight: each request holds one slot of a semaphore
/// until it is answered, so taking every slot means every request has ended.
/// </summary>
internal static class InFlightRequests
{
    /// <summary>Takes all <paramref name="slotCount"/> slots within <paramref name="timeout"/> in all; false if some request outlived it.</summary>
    public static async Task<bool> AllEndAsync(SemaphoreSlim slots, int slotCount, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        for (int slot = 0; slot < slotCount; slot++)
        {
            long left = Math.Max(0, deadline - Environment.TickCount64);
            if (!await slots.WaitAsync(TimeSpan.FromMilliseconds(left)).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }
}
