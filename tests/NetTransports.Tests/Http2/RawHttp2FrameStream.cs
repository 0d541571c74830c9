using System.Net;
using System.Net.Http;
using ShmIpc.NetTransports.Http2;

namespace ShmIpc.NetTransports.Tests.Http2;

/// <summary>A streaming HTTP/2 POST writing arbitrary bytes into an <see cref="Http2FrameSubscriber"/>'s request body.</summary>
internal sealed class RawHttp2FrameStream : IRawFrameStream
{
    private readonly HttpMessageInvoker invoker = Http2ClientFactory.CreateInvoker(new PublisherOptions());
    private readonly StreamingRequestContent content = new();
    private readonly CancellationTokenSource aborting = new();
    private Task<HttpResponseMessage>? response;
    private Stream? body;

    public static async Task<IRawFrameStream> OpenAsync(IPEndPoint endPoint)
    {
        var stream = new RawHttp2FrameStream();
        stream.response = stream.invoker.SendAsync(Http2ClientFactory.CreatePost(new Uri($"http://{endPoint}{Http2FrameSubscriber.Path}"), stream.content), stream.aborting.Token);
        stream.body = await stream.content.RequestStream.WaitAsync(TimeSpan.FromSeconds(10));
        return stream;
    }

    public async Task WriteAsync(byte[] bytes)
    {
        await body!.WriteAsync(bytes);
        await body.FlushAsync();
    }

    public Task EndAsync()
    {
        content.Complete();
        return Task.CompletedTask;
    }

    public void Abort()
    {
        // A failing request body makes HttpClient reset the stream (RST_STREAM); disposing the handler drops the connection.
        content.Abort();
        aborting.Cancel();
        invoker.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        content.Complete();
        aborting.Cancel();
        try
        {
            (await response!).Dispose();
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
        {
            // The subscriber reset the stream, as the bad-input tests expect.
        }

        invoker.Dispose();
        content.Dispose();
        aborting.Dispose();
    }
}
