using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// A request body that is another content's, written through a <see cref="CoalescingRequestStream"/>: the same bytes
/// and the same content headers (gRPC's <c>content-type: application/grpc</c>), sent in batches while the request
/// stream is busy. The body ends only after everything buffered is written and flushed; a failure of the request
/// stream fails the body, so HttpClient resets the stream instead of ending it cleanly.
/// </summary>
/// <remarks>
/// Grpc.Net.Client's <c>CompleteAsync</c> completes the inner content inline; the buffered bytes then go out before
/// this body ends, so <c>CompleteAsync</c> can return before END_STREAM is sent. A caller that waits for the
/// response (as the publisher does) before disposing the call is unaffected; one that disposes the call at once
/// may reset the stream before the last messages leave.
/// </remarks>
internal sealed class CoalescingRequestContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly int _capacity;
    private readonly Action<CoalescingRequestStream>? _opened;

    /// <param name="inner">The body to send.</param>
    /// <param name="capacity">The most the stream holds while a send is in flight.</param>
    /// <param name="opened">Told the body's stream once HttpClient opens it, before the inner content writes to it.</param>
    public CoalescingRequestContent(HttpContent inner, int capacity, Action<CoalescingRequestStream>? opened = null)
    {
        _inner = inner;
        _capacity = capacity;
        _opened = opened;
        foreach (KeyValuePair<string, HeaderStringValues> header in inner.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var coalescing = new CoalescingRequestStream(stream, _capacity);
        _opened?.Invoke(coalescing);
        await _inner.CopyToAsync(coalescing, context, cancellationToken).ConfigureAwait(false);
        await coalescing.WaitUntilSentAsync().ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        // The same bytes as the inner content: its length if it knows one (a gRPC request stream does not).
        long? inner = _inner.Headers.ContentLength;
        length = inner ?? -1;
        return inner is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
