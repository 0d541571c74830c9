using System.Net.Http;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// Sends every request's body through a <see cref="CoalescingRequestContent"/>, so a client-streaming gRPC call's
/// messages leave in batches while the HTTP/2 request stream is busy instead of one write and one flush each.
/// Grpc.Net.Client looks through <see cref="DelegatingHandler"/>s for the <see cref="SocketsHttpHandler"/> (its
/// connection and load-balancing set-up is unchanged); nothing on the wire changes but how DATA frames are grouped.
/// </summary>
internal sealed class CoalescingRequestHandler : DelegatingHandler
{
    private readonly int _capacity;
    private readonly Action<CoalescingRequestStream> _opened;
    private CoalescingRequestStream? _currentBody;

    public CoalescingRequestHandler(HttpMessageHandler inner, int capacity)
        : base(inner)
    {
        _capacity = capacity;
        _opened = body => Volatile.Write(ref _currentBody, body);
    }

    /// <summary>
    /// The stream of the request body HttpClient opened last: for a channel with one call at a time (the publisher's),
    /// the current call's, once a write to that call has completed (gRPC's writes wait for the body to open).
    /// </summary>
    public CoalescingRequestStream? CurrentBody => Volatile.Read(ref _currentBody);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            request.Content = new CoalescingRequestContent(content, _capacity, _opened);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
