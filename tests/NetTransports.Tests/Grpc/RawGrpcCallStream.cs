using System.Net;
using System.Net.Http.Headers;
using ShmIpc.NetTransports.Tests.Http2;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>A gRPC client-streaming call whose request body is written by hand: arbitrary bytes where gRPC messages belong.</summary>
internal static class RawGrpcCallStream
{
    public static Task<IRawFrameStream> OpenAsync(IPEndPoint endPoint) =>
        RawHttp2FrameStream.OpenAsync(
            new Uri($"http://{endPoint}/shmipc.SnapshotFeed/Publish"),
            static (request, content) =>
            {
                content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
                request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
            });

    /// <summary>A gRPC length-prefixed message: uncompressed flag, big-endian length, then the bytes.</summary>
    public static byte[] Message(byte[] payload, int? announcedLength = null)
    {
        byte[] message = new byte[5 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), announcedLength ?? payload.Length);
        payload.CopyTo(message, 5);
        return message;
    }
}
