using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using ShmIpc.NetTransports.Http2;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// A channel tuned as the gRPC performance guide says: its own SocketsHttpHandler (so N channels are N connections)
/// with EnableMultipleHttp2Connections, a raised stream window, no idle timeout; no retries (no retry buffering copy).
/// </summary>
internal static class GrpcChannelFactory
{
    public static GrpcChannel Create(IPEndPoint endPoint, PublisherOptions options) =>
        GrpcChannel.ForAddress(new Uri($"http://{endPoint}"), new GrpcChannelOptions
        {
            HttpHandler = Http2ClientFactory.CreateHandler(options),
            DisposeHttpClient = true,
            MaxSendMessageSize = null,
            MaxRetryAttempts = null,
            ServiceConfig = null,
        });

    public static TransportException Describe(string connection, Exception exception) => exception switch
    {
        RpcException rpc => new TransportException($"{connection} failed (subscriber gone or refused?): {rpc.StatusCode}: {rpc.Status.Detail}", exception),
        _ => new TransportException($"{connection} failed (subscriber gone?): {exception.Message}", exception),
    };
}
