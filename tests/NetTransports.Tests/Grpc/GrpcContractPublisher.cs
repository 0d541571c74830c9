using System.Net;
using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>A <see cref="GrpcFramePublisher"/> as the transport contract drives it: it sends <see cref="TestFrames"/>, each encoded into the call's buffer.</summary>
internal sealed class GrpcContractPublisher(IPEndPoint endPoint, PublisherOptions options) : IContractPublisher
{
    private readonly GrpcFramePublisher _publisher = new(endPoint, options);

    public Task ConnectAsync() => _publisher.ConnectAsync();

    public ValueTask SendAsync(long sequence) =>
        _publisher.SendAsync(TestFrames.LengthOf(sequence), static (destination, sequence) => TestFrames.Write(destination, sequence), sequence);

    public ValueTask DisposeAsync() => _publisher.DisposeAsync();
}
