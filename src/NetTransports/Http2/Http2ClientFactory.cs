using System.Net;
using System.Net.Http;
using ShmIpc.NetTransports.Hosting;

namespace ShmIpc.NetTransports.Http2;

/// <summary>
/// The HTTP/2 client side, tuned as the .NET and gRPC performance guides say: SocketsHttpHandler, HTTP/2 only
/// (prior knowledge, <see cref="HttpVersionPolicy.RequestVersionExact"/>), EnableMultipleHttp2Connections, a
/// raised stream window, TCP_NODELAY (the handler's default), no proxy, no idle or lifetime limit on the pooled connection, a connect timeout.
/// One handler per pooled connection, so the pool size is exact.
/// </summary>
internal static class Http2ClientFactory
{
    /// <summary>Where a publisher posts its frames: <see cref="Http2FrameSubscriber.Path"/> on the subscriber at <paramref name="endPoint"/>.</summary>
    public static Uri FramesUri(IPEndPoint endPoint) => new($"http://{endPoint}{Http2FrameSubscriber.Path}");

    /// <summary>
    /// Opens connection <paramref name="index"/> of a publisher's pool in the mode <paramref name="options"/> asks for
    /// (<see cref="PublisherOptions.RequestPerMessage"/>); one that fails to connect is disposed before the error is thrown.
    /// </summary>
    public static async Task<IFramePublisherConnection> ConnectAsync(Uri uri, int index, PublisherOptions options, CancellationToken cancellationToken)
    {
        IHttp2PublisherConnection connection = options.RequestPerMessage
            ? new Http2RequestPerMessageConnection(uri, index, options)
            : new Http2StreamingConnection(uri, index, options);
        try
        {
            await connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return connection;
    }

    public static HttpMessageInvoker CreateInvoker(PublisherOptions options) => new(CreateHandler(options), disposeHandler: true);

    public static SocketsHttpHandler CreateHandler(PublisherOptions options) => new()
    {
        EnableMultipleHttp2Connections = true,
        InitialHttp2StreamWindowSize = Http2ServerHost.StreamWindowBytes,
        ConnectTimeout = options.ConnectTimeout,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    };

    public static HttpRequestMessage CreatePost(Uri uri, HttpContent content) => new(HttpMethod.Post, uri)
    {
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Content = content,
    };
}
