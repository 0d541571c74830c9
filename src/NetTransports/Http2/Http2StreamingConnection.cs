using System.IO.Pipelines;
using System.Net.Http;

namespace ShmIpc.NetTransports.Http2;

/// <summary>
/// One HTTP/2 connection carrying one endless POST whose body is the frame stream. Frames are encoded into a
/// <see cref="PipeWriter"/> over the request stream and flushed per frame; HttpClient copies them into its
/// connection's write buffer (the one copy on this side). A send waits only for HTTP/2 flow-control credit.
/// </summary>
internal sealed class Http2StreamingConnection(Uri uri, int index, PublisherOptions options) : IHttp2PublisherConnection
{
    private readonly HttpMessageInvoker _invoker = Http2ClientFactory.CreateInvoker(options);
    private readonly StreamingRequestContent _content = new();
    private readonly CancellationTokenSource _aborting = new();
    private readonly string _description = $"http2 publisher connection {index} to {uri}";
    private Task<HttpResponseMessage>? _response;
    private PipeWriter? _writer;
    private bool _broken;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _response = _invoker.SendAsync(Http2ClientFactory.CreatePost(uri, _content), _aborting.Token);
        Task first = await Task.WhenAny(_content.RequestStream, _response, Task.Delay(options.ConnectTimeout, cancellationToken)).ConfigureAwait(false);
        if (first == _content.RequestStream)
        {
            _writer = PipeWriter.Create(await _content.RequestStream.ConfigureAwait(false), new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
            return;
        }

        await _aborting.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (first == _response)
        {
            Exception? failure = _response.Exception?.InnerException;
            string reason = failure is null ? $"the server answered {(int)_response.Result.StatusCode} before the body started" : Describe(failure);
            throw new TransportException($"{_description}: {reason}", failure ?? new InvalidOperationException(reason));
        }

        throw new TransportException($"{_description}: no answer within {options.ConnectTimeout.TotalSeconds:0.#} s");
    }

    public bool CanHoldFrames => true;

    public long Write<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state)
    {
        ThrowIfUnusable();
        return FrameWriter.Write(_writer!, maxPayloadLength, encode, state);
    }

    public ValueTask SendAsync<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken)
    {
        Write(maxPayloadLength, encode, state);
        return FlushAsync(cancellationToken);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        cancellationToken.ThrowIfCancellationRequested(); // before anything is written: the connection stays usable
        ValueTask<FlushResult> flush;
        try
        {
            flush = _writer!.FlushAsync(cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw Broken(exception);
        }
        catch (OperationCanceledException)
        {
            // Cancelling a write of the request body cancels the body itself: this connection takes no more frames.
            _broken = true;
            throw;
        }

        if (flush.IsCompletedSuccessfully)
        {
            return default;
        }

        return AwaitFlushAsync(flush, cancellationToken);
    }

    /// <summary>
    /// Sends what is held and ends the body (END_STREAM). A subscriber that reads nothing for the connect timeout (the
    /// stream's window full) does not hold this forever: the stream is reset and <see cref="TransportException"/> says
    /// the last frames were not delivered.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        bool stalled = false;
        try
        {
            if (_writer is not null && !_broken)
            {
                try
                {
                    await _writer.CompleteAsync().AsTask().WaitAsync(options.ConnectTimeout).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    stalled = true; // the finally resets the stream, which also ends the abandoned write
                    throw;
                }

                _content.Complete();
                using HttpResponseMessage answer = await _response!.WaitAsync(options.ConnectTimeout).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or TimeoutException or OperationCanceledException)
        {
            // Stalled (reported below), or the subscriber is gone or reset the stream: nothing left to deliver.
        }
        finally
        {
            _content.Abort(); // no-op after Complete(); otherwise resets the stream rather than ending it on a partial frame
            await _aborting.CancelAsync().ConfigureAwait(false);
            if (_response is not null)
            {
                try
                {
                    (await _response.ConfigureAwait(false)).Dispose();
                }
                catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException)
                {
                    // Reported (if at all) by the send that failed.
                }
            }

            _invoker.Dispose();
            _content.Dispose();
            _aborting.Dispose();
        }

        if (stalled)
        {
            throw new TransportException($"{_description}: the last frames were not delivered: the subscriber read nothing for {options.ConnectTimeout.TotalSeconds:0.#} s, so the stream was reset");
        }
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitFlushAsync(ValueTask<FlushResult> flush, CancellationToken cancellationToken)
    {
        try
        {
            await flush.ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw Broken(exception);
        }
        catch (OperationCanceledException)
        {
            // Cancelling a write of the request body cancels the body itself: this connection takes no more frames.
            _broken = true;
            throw;
        }
    }

    private void ThrowIfUnusable()
    {
        if (_broken || _writer is null)
        {
            throw new TransportException(_writer is null ? $"{_description} is not connected" : $"{_description} is broken by an earlier failure");
        }
    }

    private TransportException Broken(Exception exception)
    {
        _broken = true;
        return new TransportException($"{_description} failed (subscriber gone or stream reset?): {Describe(exception)}", exception);
    }

    private static string Describe(Exception exception) =>
        exception.InnerException is { } inner ? $"{exception.Message} ({inner.Message})" : exception.Message;
}
