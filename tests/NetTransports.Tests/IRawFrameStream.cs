namespace ShmIpc.NetTransports.Tests;

/// <summary>A connection into a subscriber that writes arbitrary bytes where frames belong (bad-input tests).</summary>
internal interface IRawFrameStream : IAsyncDisposable
{
    Task WriteAsync(byte[] bytes);

    /// <summary>Ends the stream gracefully (FIN / END_STREAM).</summary>
    Task EndAsync();

    /// <summary>Disconnects abruptly (TCP RST / RST_STREAM).</summary>
    void Abort();
}
