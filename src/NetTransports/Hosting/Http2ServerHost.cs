using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ShmIpc.NetTransports.Hosting;

/// <summary>
/// A Kestrel server for HTTP/2 over cleartext (h2c, prior knowledge) inside a library, tuned for a feed of
/// ~16 KiB messages: flow-control windows raised from Kestrel's 128 KiB (connection) / 96 KiB (stream) defaults,
/// no request body size or minimum data rate limits (a feed is one endless body that may go quiet), quiet logs,
/// and (<see cref="SubscriberOptions.ServerBlockBytes"/>) memory blocks that hold whole 16 KiB messages.
/// </summary>
internal sealed class Http2ServerHost : IAsyncDisposable
{
    /// <summary>
    /// Per-stream receive window: 64 messages of 16 KiB may be in flight on one stream before the sender waits.
    /// It is also the bound on what one slow stream can make the server buffer.
    /// </summary>
    public const int StreamWindowBytes = 1024 * 1024;

    /// <summary>Per-connection receive window: room for several streams (request-per-message mode) at once.</summary>
    public const int ConnectionWindowBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Streams one client may have open at once: the publisher's request-per-message mode keeps up to 64
    /// (<see cref="PublisherOptions.MaxRequestsInFlightPerConnection"/>); more only multiply what one connection can
    /// make the server buffer (each stream up to one incomplete frame and its window).
    /// </summary>
    public const int MaxStreamsPerConnection = 100;

    /// <summary>An idle connection is pinged after this long, so a vanished peer is noticed (no TCP keepalive in Kestrel).</summary>
    public static readonly TimeSpan KeepAlivePingDelay = TimeSpan.FromSeconds(30);

    /// <summary>A ping unanswered for this long closes the connection.</summary>
    public static readonly TimeSpan KeepAlivePingTimeout = TimeSpan.FromSeconds(20);

    private readonly WebApplication _application;
    private readonly string _name;
    private readonly Action<string> _log;
    private UnixSockets.UnixSocketFile? _socketFile;
    private bool _started;

    private Http2ServerHost(WebApplication application, string name, Action<string> log)
    {
        _application = application;
        _name = name;
        _log = log;
    }

    /// <summary>The address Kestrel bound (an IP address with the ephemeral port filled in, or the Unix socket); null until started.</summary>
    public EndPoint? EndPoint { get; private set; }

    /// <summary>Builds (does not start) a server; <paramref name="configureServices"/> and <paramref name="configureApplication"/> add the protocol.</summary>
    /// <remarks>
    /// A Unix socket endpoint only where <paramref name="allowUnixSocket"/>; its file then follows the uds transport's
    /// rules (<see cref="UnixSockets.UnixSocketFile"/>: claimed before the bind, 0600 once bound, removed on dispose).
    /// </remarks>
    public static Http2ServerHost Create(string name, SubscriberOptions options, Action<IServiceCollection> configureServices, Action<WebApplication> configureApplication, bool allowUnixSocket = false)
    {
        if (options.EndPoint is not IPEndPoint && !(allowUnixSocket && options.EndPoint is UnixDomainSocketEndPoint))
        {
            throw new ArgumentException($"{name} listens on an IP address and port{(allowUnixSocket ? " or a Unix socket" : "")}, not {options.EndPoint}", nameof(options));
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = name });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddProvider(new LogLineLoggerProvider(options.Log));
        builder.Services.AddSingleton<IHostLifetime, ExternallyOwnedHostLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        if (options.ServerBlockBytes != 0)
        {
            // Kestrel's socket transport takes its pools from this service (UseKestrelCore only adds its own if none is there).
            builder.Services.Replace(ServiceDescriptor.Singleton<IMemoryPoolFactory<byte>>(new LargeBlockMemoryPoolFactory(options.ServerBlockBytes)));
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.Http2.InitialStreamWindowSize = StreamWindowBytes;
            kestrel.Limits.Http2.InitialConnectionWindowSize = ConnectionWindowBytes;
            kestrel.Limits.Http2.MaxStreamsPerConnection = MaxStreamsPerConnection;
            kestrel.Limits.Http2.KeepAlivePingDelay = KeepAlivePingDelay;
            kestrel.Limits.Http2.KeepAlivePingTimeout = KeepAlivePingTimeout;
            kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
            if (options.EndPoint is IPEndPoint listen)
            {
                kestrel.Listen(listen, endPoint => endPoint.Protocols = HttpProtocols.Http2);
            }
            else
            {
                kestrel.ListenUnixSocket(options.EndPoint.ToString()!, endPoint => endPoint.Protocols = HttpProtocols.Http2);
            }
        });
        configureServices(builder.Services);
        WebApplication application = builder.Build();
        configureApplication(application);
        return new Http2ServerHost(application, name, options.Log);
    }

    /// <summary>Starts listening; a port in use (or a Unix socket path that cannot be claimed) becomes a <see cref="TransportException"/>.</summary>
    public async Task StartAsync(EndPoint requested, CancellationToken cancellationToken)
    {
        UnixSockets.UnixSocketFile? socketFile = requested is UnixDomainSocketEndPoint ? UnixSockets.UnixSocketFile.Claim(requested.ToString()!, _name, _log) : null;
        try
        {
            await _application.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException)
        {
            // Kestrel wraps "address in use" in an IOException; other bind failures (an address this host does not
            // have, a privileged port) come through as the SocketException itself.
            throw new TransportException($"{_name} cannot listen on {requested}: {exception.Message}", exception);
        }

        _started = true;
        if (socketFile is not null)
        {
            socketFile.Bound();
            _socketFile = socketFile;
        }

        if (requested is IPEndPoint ip)
        {
            string address = _application.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            EndPoint = new IPEndPoint(ip.Address, new Uri(address).Port);
        }
        else
        {
            EndPoint = requested; // a Unix socket: Create refused anything else
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            // Stops accepting, then waits (up to the 2 s shutdown timeout) for requests to end; the subscriber has
            // already told its request loops to stop, so this is quick.
            await _application.StopAsync().ConfigureAwait(false);
        }

        await _application.DisposeAsync().ConfigureAwait(false);
        _socketFile?.Dispose();
    }
}
