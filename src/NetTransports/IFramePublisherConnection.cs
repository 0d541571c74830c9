namespace ShmIpc.NetTransports;

/// <summary>One connection of a frame publisher's pool, as <see cref="FramePublisherPool"/> drives it.</summary>
internal interface IFramePublisherConnection : IAsyncDisposable
{
    /// <summary>False when every frame must go out at once (HTTP/2 request per message).</summary>
    bool CanHoldFrames { get; }

    /// <summary>Encodes the frame into the send buffer without sending; returns the bytes now held (this frame included).</summary>
    long Write<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state);

    /// <summary>Sends the held frames.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>Encodes the frame and sends it with any held before it.</summary>
    ValueTask SendAsync<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken);
}
