using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using ShmIpc.NetTransports.Http2;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>A gRPC client-streaming call whose request body is written by hand: arbitrary bytes where gRPC messages belong.</summary>
internal sealed class RawGrpcCallStream : IRawFrameStream
{
    private readonly HttpMessageInvoker invoker = Http2ClientFactory.CreateInvoker(new PublisherOptions());
    private readonly StreamingRequestContent content = new();
    private readonly CancellationTokenSource aborting = new();
    private Task<HttpResponseMessage>? response;
    private Stream? body;

    public static async Task<RawGrpcCallStream> OpenAsync(IPEndPoint endPoint)
    {
        var stream = new RawGrpcCallStream();
        stream.content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        HttpRequestMessage request = Http2ClientFactory.CreatePost(new Uri($"http://{endPoint}/shmipc.SnapshotFeed/Publish"), stream.content);
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        stream.response = stream.invoker.SendAsync(request, stream.aborting.Token);
        stream.body = await stream.content.RequestStream.WaitAsync(TimeSpan.FromSeconds(10));
        return stream;
    }

    /// <summary>A gRPC length-prefixed message: uncompressed flag, big-endian length, then the bytes.</summary>
    public static byte[] Message(byte[] payload, int? announcedLength = null)
    {
        byte[] message = new byte[5 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), announcedLength ?? payload.Length);
        payload.CopyTo(message, 5);
        return message;
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
            // The subscriber ended the call, as the bad-input tests expect.
        }

        invoker.Dispose();
        content.Dispose();
        aborting.Dispose();
    }
}
