namespace ShmIpc.NetTransports.Tests;

/// <summary>A connection into a subscriber that writes arbitrary bytes where frames belong (bad-input tests).</summary>
internal interface IRawFrameStream : IAsyncDisposable
{
    Task WriteAsync(byte[] bytes);

    /// <summary>Ends the stream gracefully (FIN / END_STREAM).</summary>
    Task EndAsync();

    /// <summary>Disconnects abruptly (TCP RST / RST_STREAM).</summary>
    void Abort();

    /// <summary>
    /// Returns once the subscriber has ended this stream from its side (the socket closed or reset; the response or a
    /// stream reset arrived); throws <see cref="TimeoutException"/> if it has not within <paramref name="timeout"/>.
    /// </summary>
    Task WaitUntilClosedBySubscriberAsync(TimeSpan timeout);
}
