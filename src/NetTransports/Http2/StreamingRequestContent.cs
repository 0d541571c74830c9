using System.Net;

namespace ShmIpc.NetTransports.Http2;

/// <summary>
/// An HTTP request body of unknown length that stays open: HttpClient hands its request stream to
/// <see cref="RequestStream"/>, the publisher writes frames into it for as long as it likes, then
/// <see cref="Complete"/> ends the body (END_STREAM).
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _requestStream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _bodyComplete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the request headers are sent and the body stream is open.</summary>
    public Task<Stream> RequestStream => _requestStream.Task;

    /// <summary>Ends the body: the request's DATA ends with END_STREAM.</summary>
    public void Complete() => _bodyComplete.TrySetResult();

    /// <summary>Fails the body: HttpClient resets the request stream (RST_STREAM) instead of ending it.</summary>
    public void Abort() => _bodyComplete.TrySetException(new IOException("the request body was aborted by its sender"));

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        _requestStream.TrySetResult(stream);
        await _bodyComplete.Task.ConfigureAwait(false);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        SerializeToStreamAsync(stream, context);

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
