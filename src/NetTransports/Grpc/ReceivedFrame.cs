namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// What the subscriber's marshaller hands the service for one request message, after it has already given the
/// payload to the frame handler in place: the payload's size, or why the handler refused it. The marshaller never
/// throws (gRPC would answer with its own status and log line); the service decides. Pooled: one per message in flight.
/// </summary>
internal sealed class ReceivedFrame
{
    public int PayloadLength { get; private set; }

    /// <summary>What the frame handler threw, or null when it took the payload.</summary>
    public Exception? HandlerFailure { get; private set; }

    public void Set(int payloadLength, Exception? handlerFailure)
    {
        PayloadLength = payloadLength;
        HandlerFailure = handlerFailure;
    }
}
