namespace ShmIpc.NetTransports.Tests;

/// <summary>An <see cref="IFramePublisher"/> as the transport contract drives it: it sends <see cref="TestFrames"/>, encoded in place.</summary>
internal sealed class FrameContractPublisher(IFramePublisher publisher) : IContractPublisher
{
    public Task ConnectAsync() => publisher.ConnectAsync();

    public ValueTask SendAsync(long sequence) =>
        publisher.SendAsync(TestFrames.MaxPayloadLength, static (destination, sequence) => TestFrames.Write(destination, sequence), sequence);

    public ValueTask DisposeAsync() => publisher.DisposeAsync();
}
