using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>
/// The gRPC publisher's request body wrapper (<see cref="CoalescingRequestContent"/>) and the handler that installs it:
/// the same headers and bytes as the content it wraps, and the body ends only after everything buffered is written.
/// </summary>
public sealed class CoalescingRequestContentTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheBody_HasTheInnerContentsHeadersAndBytes_AndEndsAfterTheLastBufferedWrite()
    {
        byte[][] messages = [.. Enumerable.Range(0, 20).Select(sequence => Enumerable.Repeat((byte)sequence, 700).ToArray())];
        using var inner = new MessagesContent(messages);
        using var content = new CoalescingRequestContent(inner, 4096);
        Assert.Equal("application/grpc", content.Headers.ContentType?.MediaType);
        Assert.Null(content.Headers.ContentLength);

        var request = new GatedStream { Gated = true };
        Task body = content.CopyToAsync(request);
        while (!body.IsCompleted)
        {
            if (request.WriteInFlight)
            {
                Assert.False(body.IsCompleted); // the body has not ended while a write of it is in flight
                request.OpenGate();
            }
            else
            {
                await Task.Yield();
            }
        }

        await body.WaitAsync(HangGuard);
        Assert.Equal(messages.SelectMany(message => message).ToArray(), request.Bytes);
        Assert.True(request.WriteSizes.Length < messages.Length);
    }

    [Fact]
    public async Task TheHandler_WrapsTheRequestBody_AndKeepsItsContentType()
    {
        var capture = new CapturingHandler();
        using var handler = new CoalescingRequestHandler(capture, 4096);
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/shmipc.SnapshotFeed/Publish")
        {
            Content = new MessagesContent([[1, 2, 3]]),
        };
        request.Headers.TE.ParseAdd("trailers");

        using HttpResponseMessage response = await invoker.SendAsync(request, CancellationToken.None);
        Assert.IsType<CoalescingRequestContent>(capture.Content);
        Assert.Equal("application/grpc", capture.ContentType);
        Assert.Equal("trailers", capture.TE);
        Assert.Equal(new byte[] { 1, 2, 3 }, capture.Body);
    }

    /// <summary>Writes each message with its own write and flush, as Grpc.Net.Client's request stream writer does.</summary>
    private sealed class MessagesContent : HttpContent
    {
        private readonly byte[][] _messages;

        public MessagesContent(byte[][] messages)
        {
            _messages = messages;
            Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            foreach (byte[] message in _messages)
            {
                await stream.WriteAsync(message);
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public HttpContent? Content { get; private set; }

        public string? ContentType { get; private set; }

        public string? TE { get; private set; }

        public byte[]? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Content = request.Content;
            ContentType = request.Content?.Headers.ContentType?.MediaType;
            TE = request.Headers.TE.ToString();
            var body = new GatedStream();
            if (request.Content is not null)
            {
                await request.Content.CopyToAsync(body, cancellationToken);
            }

            Body = body.Bytes;
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
