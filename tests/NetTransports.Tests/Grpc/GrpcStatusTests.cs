using System.Buffers;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using ShmIpc.NetTransports.Grpc;
using ShmIpc.NetTransports.Http2;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>
/// One documented gRPC status per fault (docs/net-transports.md), whatever the method and however large the announced
/// length; the status detail is our fixed text (nothing of the exception inside), and the subscriber logs exactly one
/// line of its own per faulty call. Requests are written by hand (a gRPC client cannot announce a false length).
/// </summary>
public sealed class GrpcStatusTests
{
    private const int Cap = 20_000;

    [Theory]
    [InlineData("Publish", 0x7FFFFFFFu)]
    [InlineData("Publish", 0xFFFFFFFFu)]
    [InlineData("PublishOne", 0x7FFFFFFFu)]
    [InlineData("PublishOne", 0xFFFFFFFFu)]
    [InlineData("PublishOne", Cap + 1u)]
    public Task OversizeLength_IsResourceExhausted(string method, uint announcedLength) =>
        AssertStatusAsync(method, Prefix(announcedLength), "8", "message larger than the subscriber's maximum of 20000 bytes", "TooLarge");

    [Theory]
    [InlineData("Publish")]
    [InlineData("PublishOne")]
    public Task PayloadTheHandlerRejects_IsInvalidArgument(string method) =>
        AssertStatusAsync(method, Message("BAD!"u8.ToArray()), "3", "message rejected by the subscriber (not a valid encoding)", "Rejected: frame handler failed on message 1 (4 bytes): FormatException: not a test payload");

    [Theory]
    [InlineData("Publish")]
    [InlineData("PublishOne")]
    public Task CompressedFlagWithoutAnEncoding_IsInvalidArgument(string method) =>
        AssertStatusAsync(method, [0x01, 0x00, 0x00, 0x00, 0x02, 0xAB, 0xCD], "3", "request stream is not a sequence of uncompressed gRPC messages", "Malformed");

    [Fact]
    public Task UnaryCallWithTwoMessages_IsInvalidArgument() =>
        AssertStatusAsync("PublishOne", [.. Message(Good()), .. Message(Good())], "3", "PublishOne takes exactly one message", "NotOneMessage: PublishOne carried more than one message");

    [Fact]
    public Task UnaryCallWithNoMessage_IsInvalidArgument() =>
        AssertStatusAsync("PublishOne", [], "3", "PublishOne takes exactly one message", "NotOneMessage: PublishOne carried no message");

    [Theory]
    [InlineData("Publish")]
    [InlineData("PublishOne")]
    public async Task AGoodMessage_IsOk_AndLogsNothing(string method)
    {
        var log = new LogLines();
        int delivered = 0;
        await using var subscriber = new GrpcFrameSubscriber((in ReadOnlySequence<byte> payload) => Check(payload, ref delivered), new SubscriberOptions { MaxPayloadLength = Cap, Log = log.Sink });
        await subscriber.StartAsync();
        (string status, string? detail) = await CallAsync((IPEndPoint)subscriber.EndPoint, method, Message(Good()));
        Assert.Equal(("0", null), (status, detail));
        Assert.Equal(1, Volatile.Read(ref delivered));
        Assert.Empty(log.All);
    }

    private static async Task AssertStatusAsync(string method, byte[] body, string expectedStatus, string expectedDetail, string expectedLogFragment)
    {
        var log = new LogLines();
        int delivered = 0;
        await using var subscriber = new GrpcFrameSubscriber((in ReadOnlySequence<byte> payload) => Check(payload, ref delivered), new SubscriberOptions { MaxPayloadLength = Cap, Log = log.Sink });
        await subscriber.StartAsync();

        (string status, string? detail) = await CallAsync((IPEndPoint)subscriber.EndPoint, method, body);

        Assert.Equal((expectedStatus, expectedDetail), (status, detail));
        await log.WaitForAsync(expectedLogFragment, TimeSpan.FromSeconds(10));
        await Task.Delay(200); // room for a second line (the framework's own) to show up if there were one
        Assert.True(log.All.Count == 1, $"exactly one log line; log: {string.Join(" | ", log.All)}");
        Assert.Contains($"/shmipc.SnapshotFeed/{method}", log.All[0], StringComparison.Ordinal);
        Assert.Equal(1, subscriber.Statistics.Errors);
    }

    /// <summary>A test handler: takes payloads starting "GOOD", throws for anything else.</summary>
    private static void Check(in ReadOnlySequence<byte> payload, ref int delivered)
    {
        if (payload.Length < 4 || !payload.Slice(0, 4).ToArray().AsSpan().SequenceEqual("GOOD"u8))
        {
            throw new FormatException("not a test payload");
        }

        Interlocked.Increment(ref delivered);
    }

    private static byte[] Good() => [.. "GOOD"u8, .. new byte[1000]];

    private static byte[] Prefix(uint announcedLength)
    {
        byte[] prefix = new byte[5];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), announcedLength);
        return prefix;
    }

    private static byte[] Message(byte[] payload) => RawGrpcCallStream.Message(payload);

    /// <summary>One gRPC call whose whole request body is <paramref name="body"/>; the grpc-status and grpc-message it ends with.</summary>
    private static async Task<(string Status, string? Detail)> CallAsync(IPEndPoint endPoint, string method, byte[] body)
    {
        using HttpMessageInvoker invoker = Http2ClientFactory.CreateInvoker(new PublisherOptions());
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using HttpRequestMessage request = Http2ClientFactory.CreatePost(new Uri($"http://{endPoint}/shmipc.SnapshotFeed/{method}"), content);
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        using HttpResponseMessage response = await invoker.SendAsync(request, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _ = await response.Content.ReadAsByteArrayAsync();

        // A trailers-only response carries the status in its headers; one with a body, in its trailers.
        HttpHeaders where = response.TrailingHeaders.Contains("grpc-status") ? response.TrailingHeaders : response.Headers;
        string status = where.TryGetValues("grpc-status", out IEnumerable<string>? values) ? values.Single() : "(none)";
        string? detail = where.TryGetValues("grpc-message", out IEnumerable<string>? messages) ? Uri.UnescapeDataString(messages.Single()) : null;
        return (status, detail);
    }
}
