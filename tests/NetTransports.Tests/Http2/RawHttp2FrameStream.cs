using System.Net;
using System.Net.Http;
using ShmIpc.NetTransports.Http2;

namespace ShmIpc.NetTransports.Tests.Http2;

/// <summary>A streaming HTTP/2 POST writing arbitrary bytes into an <see cref="Http2FrameSubscriber"/>'s request body.</summary>
internal sealed class RawHttp2FrameStream : IRawFrameStream
{
    private readonly HttpMessageInvoker _invoker = Http2ClientFactory.CreateInvoker(new PublisherOptions());
    private readonly StreamingRequestContent _content = new();
    private readonly CancellationTokenSource _aborting = new();
    private Task<HttpResponseMessage>? _response;
    private Stream? _body;

    public static async Task<IRawFrameStream> OpenAsync(IPEndPoint endPoint)
    {
        var stream = new RawHttp2FrameStream();
        stream._response = stream._invoker.SendAsync(Http2ClientFactory.CreatePost(new Uri($"http://{endPoint}{Http2FrameSubscriber.Path}"), stream._content), stream._aborting.Token);
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
            // The subscriber reset the stream, as the bad-input tests expect.
        }

        _invoker.Dispose();
        _content.Dispose();
        _aborting.Dispose();
    }
}
