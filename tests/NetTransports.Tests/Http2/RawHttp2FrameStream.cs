using System.Net;
using System.Net.Http;
using ShmIpc.NetTransports.Http2;

namespace ShmIpc.NetTransports.Tests.Http2;

/// <summary>A streaming HTTP/2 POST writing arbitrary bytes into a request body: an <see cref="Http2FrameSubscriber"/>'s, or a gRPC call's.</summary>
internal sealed class RawHttp2FrameStream : IRawFrameStream
{
    private readonly HttpMessageInvoker _invoker = Http2ClientFactory.CreateInvoker(new PublisherOptions());
    private readonly StreamingRequestContent _content = new();
    private readonly CancellationTokenSource _aborting = new();
    private Task<HttpResponseMessage>? _response;
    private Stream? _body;

    public static Task<IRawFrameStream> OpenAsync(IPEndPoint endPoint) =>
        OpenAsync(new Uri($"http://{endPoint}{Http2FrameSubscriber.Path}"), static (_, _) => { });

    /// <summary>A streaming POST to <paramref name="uri"/>; <paramref name="prepare"/> sets the request's and the body's headers (gRPC's content type, TE: trailers).</summary>
    public static async Task<IRawFrameStream> OpenAsync(Uri uri, Action<HttpRequestMessage, HttpContent> prepare)
    {
        var stream = new RawHttp2FrameStream();
        HttpRequestMessage request = Http2ClientFactory.CreatePost(uri, stream._content);
        prepare(request, stream._content);
        stream._response = stream._invoker.SendAsync(request, stream._aborting.Token);
        stream._body = await stream._content.RequestStream.WaitAsync(TimeSpan.FromSeconds(10));
        return stream;
    }

    public async Task WriteAsync(byte[] bytes)
    {
        await _body!.WriteAsync(bytes);
        await _body.FlushAsync();
    }

    public Task EndAsync()
    {
        _content.Complete();
        return Task.CompletedTask;
    }

    public void Abort()
    {
        // A failing request body makes HttpClient reset the stream (RST_STREAM); disposing the handler drops the connection.
        _content.Abort();
        _aborting.Cancel();
        _invoker.Dispose();
    }

    public async Task WaitUntilClosedBySubscriberAsync(TimeSpan timeout)
    {
        try
        {
            // The subscriber answers (or resets the stream) only when it has given up on this request.
            (await _response!.WaitAsync(timeout)).Dispose();
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            // Reset by the subscriber: closed as well.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _content.Complete();
        _aborting.Cancel();
        try
        {
            (await _response!).Dispose();
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
        {
            // The subscriber reset the stream or ended the call, as the bad-input tests expect.
        }

        _invoker.Dispose();
        _content.Dispose();
        _aborting.Dispose();
    }
}
