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
