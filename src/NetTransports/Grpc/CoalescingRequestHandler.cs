using System.Net.Http;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// Sends every request's body through a <see cref="CoalescingRequestContent"/>, so a client-streaming gRPC call's
/// messages leave in batches while the HTTP/2 request stream is busy instead of one write and one flush each.
/// Grpc.Net.Client looks through <see cref="DelegatingHandler"/>s for the <see cref="SocketsHttpHandler"/> (its
/// connection and load-balancing set-up is unchanged); nothing on the wire changes but how DATA frames are grouped.
/// </summary>
internal sealed class CoalescingRequestHandler(HttpMessageHandler inner, int capacity) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            request.Content = new CoalescingRequestContent(content, capacity);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
