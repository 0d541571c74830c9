using System.Buffers;
using System.Net;
using System.Net.Http;

namespace ShmIpc.NetTransports.Http2;

/// <summary>
/// One HTTP/2 connection sending one POST per frame. A send encodes into a pooled buffer, starts the request and
/// returns without waiting for the response; at most <see cref="PublisherOptions.MaxRequestsInFlightPerConnection"/>
/// requests are in flight (a send waits for a slot). A failed request makes the next send throw.
/// This mode allocates per message (request, content, response objects): it is the option, not the default.
/// </summary>
internal sealed class Http2RequestPerMessageConnection(Uri uri, int index, PublisherOptions options) : IHttp2PublisherConnection
{
    private readonly HttpMessageInvoker _invoker = Http2ClientFactory.CreateInvoker(options);
    private readonly SemaphoreSlim _slots = new(options.MaxRequestsInFlightPerConnection, options.MaxRequestsInFlightPerConnection);
    private readonly CancellationTokenSource _aborting = new();
    private readonly string _description = $"http2 publisher connection {index} to {uri}";
    private Exception? _failure;
    private bool _failureReported;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        // An empty body is a valid, empty frame stream: the request opens the connection and proves the server is there.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _aborting.Token);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            using HttpResponseMessage response = await _invoker.SendAsync(Http2ClientFactory.CreatePost(uri, new ByteArrayContent([])), timeout.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.NoContent)
            {
                throw new TransportException($"{_description}: the server answered {(int)response.StatusCode}, expected 204");
            }
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransportException($"{_description}: no answer within {options.ConnectTimeout.TotalSeconds:0.#} s", exception);
        }
        catch (HttpRequestException exception)
        {
            throw new TransportException($"{_description}: {exception.Message}", exception);
        }
    }

    /// <summary>Every frame is its own request: nothing to hold.</summary>
    public bool CanHoldFrames => false;

    public long Write<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state) =>
        throw new NotSupportedException("a request-per-message connection sends every frame at once");

    public ValueTask FlushAsync(CancellationToken cancellationToken) => default;

    public async ValueTask SendAsync<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPayloadLength, Array.MaxLength - FrameHeader.Length);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        byte[]? buffer = null;
        int written;
        try
        {
            buffer = ArrayPool<byte>.Shared.Rent(FrameHeader.Length + maxPayloadLength);
            written = encode(buffer.AsSpan(FrameHeader.Length, maxPayloadLength), state);
            if ((uint)written > (uint)maxPayloadLength)
            {
                throw new ArgumentOutOfRangeException(nameof(encode), written, $"the encoder reported {written} bytes written into a {maxPayloadLength}-byte payload span");
            }
        }
        catch
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            _slots.Release();
            throw;
        }

        FrameHeader.Write(buffer, written);
        var content = new ReadOnlyMemoryContent(buffer.AsMemory(0, FrameHeader.Length + written));
        _ = CompleteAsync(_invoker.SendAsync(Http2ClientFactory.CreatePost(uri, content), _aborting.Token), buffer);
    }

    /// <summary>
    /// Waits (up to the connect timeout) for every request in flight, then closes. A request that failed after the
    /// last send (and not yet reported by a send), or one still unanswered at the timeout (cancelled), makes this throw
    /// <see cref="TransportException"/>: its frame may not have been delivered.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        // Every request in flight holds a slot: holding them all means none is left.
        bool allAnswered = await InFlightRequests.AllEndAsync(_slots, options.MaxRequestsInFlightPerConnection, options.ConnectTimeout).ConfigureAwait(false);
        await _aborting.CancelAsync().ConfigureAwait(false);
        _invoker.Dispose();
        _aborting.Dispose();
        if (!allAnswered)
        {
            throw new TransportException($"{_description}: requests were still unanswered after {options.ConnectTimeout.TotalSeconds:0.#} s and were cancelled; their frames may not have been delivered");
        }
        if (!_failureReported)
        {
            ThrowIfFailed(); // a request that failed after the last send: no send has said so yet
        }
    }

    private async Task CompleteAsync(Task<HttpResponseMessage> request, byte[] buffer)
    {
        try
        {
            using HttpResponseMessage response = await request.ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.NoContent)
            {
                _failure ??= new TransportException($"{_description}: the server answered {(int)response.StatusCode} to a frame");
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException)
        {
            _failure ??= new TransportException($"{_description} failed (subscriber gone?): {exception.Message}", exception);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _slots.Release();
        }
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failed)
        {
            _failureReported = true;
            throw new TransportException(failed.Message, failed);
        }
    }
}
