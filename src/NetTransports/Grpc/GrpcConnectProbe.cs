using Grpc.Core;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// How a publisher connection proves the subscriber is there before its first send: an empty <c>Publish</c> call
/// (no message, so nothing is delivered) must be answered OK within the connect timeout. It opens the channel's
/// HTTP/2 connection, and works with any conforming server: one that sends response headers only with its answer
/// (grpc-js does) as well as one that sends them at once.
/// </summary>
internal static class GrpcConnectProbe
{
    public static async Task RunAsync(CallInvoker calls, string description, PublisherOptions options, CancellationToken aborting, CancellationToken cancellationToken)
    {
        using AsyncClientStreamingCall<OutgoingFrame, EmptyReply> probe = calls.AsyncClientStreamingCall(SnapshotFeedMethods.PublishFromClient, null, new CallOptions(cancellationToken: aborting));
        try
        {
            await probe.RequestStream.CompleteAsync().WaitAsync(options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            await probe.ResponseAsync.WaitAsync(options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            throw new TransportException($"{description}: no answer within {options.ConnectTimeout.TotalSeconds:0.#} s", exception);
        }
        catch (RpcException exception)
        {
            throw GrpcChannelFactory.Describe(description, exception);
        }
    }
}
