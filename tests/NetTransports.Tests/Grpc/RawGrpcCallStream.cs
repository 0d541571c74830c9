using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using ShmIpc.NetTransports.Http2;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>A gRPC client-streaming call whose request body is written by hand: arbitrary bytes where gRPC messages belong.</summary>
internal sealed class RawGrpcCallStream : IRawFrameStream
{
    private readonly HttpMessageInvoker _invoker = Http2ClientFactory.CreateInvoker(new PublisherOptions());
    private readonly StreamingRequestContent _content = new();
    private readonly CancellationTokenSource _aborting = new();
    private Task<HttpResponseMessage>? _response;
    private Stream? _body;

    public static async Task<RawGrpcCallStream> OpenAsync(IPEndPoint endPoint)
    {
        var stream = new RawGrpcCallStream();
        stream._content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        HttpRequestMessage request = Http2ClientFactory.CreatePost(new Uri($"http://{endPoint}/shmipc.SnapshotFeed/Publish"), stream._content);
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        stream._response = stream._invoker.SendAsync(request, stream._aborting.Token);
        stream._body = await stream._content.RequestStream.WaitAsync(TimeSpan.FromSeconds(10));
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
            // The subscriber ended the call, as the bad-input tests expect.
        }

        _invoker.Dispose();
        _content.Dispose();
        _aborting.Dispose();
    }
}
