using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using ShmIpc.NetTransports.Http2;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// A channel tuned as the gRPC performance guide says: its own SocketsHttpHandler (so N channels are N connections)
/// with EnableMultipleHttp2Connections, a raised stream window, no idle timeout; no retries (no retry buffering copy).
/// The channel of one long client-streaming call also coalesces its request body's writes (<see cref="CoalescingRequestHandler"/>).
/// </summary>
internal static class GrpcChannelFactory
{
    /// <summary>
    /// How much a coalescing request body holds while a send is in flight (and the most one send carries): about
    /// twenty 13 KB messages per HTTP/2 write. Held plus in flight stay within half the stream window
    /// (<see cref="Hosting.Http2ServerHost.StreamWindowBytes"/>), so a full buffer does not also wait for credit.
    /// Chosen by measurement against smaller and larger buffers (docs/net-transports.md, "gRPC").
    /// </summary>
    public const int CoalescingCapacity = 256 * 1024;

    /// <summary>A channel to the subscriber at <paramref name="endPoint"/> over its own handler.</summary>
    public static GrpcChannel Create(EndPoint endPoint, PublisherOptions options) => Create(endPoint, CreateHandler(endPoint, options));

    /// <summary>
    /// A channel over <paramref name="handler"/>: <see cref="CreateHandler"/>'s, or one wrapping it (Grpc.Net.Client
    /// finds the <see cref="SocketsHttpHandler"/> inside <see cref="DelegatingHandler"/>s).
    /// </summary>
    public static GrpcChannel Create(EndPoint endPoint, HttpMessageHandler handler) =>
        GrpcChannel.ForAddress(endPoint is UnixDomainSocketEndPoint ? new Uri("http://localhost") : new Uri($"http://{endPoint}"), new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxSendMessageSize = null,
            MaxRetryAttempts = null,
            ServiceConfig = null,
        });

    /// <summary>
    /// The handler of one channel; for a Unix socket, Grpc.Net.Client's documented way: a ConnectCallback that opens
    /// the socket (the URI's host only names the :authority).
    /// </summary>
    public static SocketsHttpHandler CreateHandler(EndPoint endPoint, PublisherOptions options)
    {
        SocketsHttpHandler handler = Http2ClientFactory.CreateHandler(options);
        if (endPoint is UnixDomainSocketEndPoint unix)
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(unix, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return handler;
    }

    public static TransportException Describe(string connection, Exception exception) => exception switch
    {
        RpcException rpc => new TransportException($"{connection} failed (subscriber gone or refused?): {rpc.StatusCode}: {rpc.Status.Detail}", exception),
        _ => new TransportException($"{connection} failed (subscriber gone?): {exception.Message}", exception),
    };
}
