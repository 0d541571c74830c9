using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ShmIpc.NetTransports.Tcp;
using ShmIpc.NetTransports.Tests.StreamSockets;
using Xunit.Abstractions;

namespace ShmIpc.NetTransports.Tests.Tcp;

/// <summary>Hostile peers against TCP with async receive loops; and the connection and thread caps.</summary>
public sealed class TcpHostilePeerTests(ITestOutputHelper output) : HostilePeerContractTests(output)
{
    [Fact]
    public Task ConnectionsOverTheCap_AreResetAtOnce_WithOneLogLine() => RunCaseAsync("connections over the cap", async (endPoint, _) =>
    {
        var held = new List<IRawFrameStream>();
        try
        {
            for (int i = 0; i < 8; i++)
            {
                held.Add(await RawStreamSocketFrameStream.OpenAsync(endPoint));
            }

            for (int i = 0; i < 8; i++)
            {
                await ConnectAndSeeItResetAsync(endPoint);
            }
        }
        finally
        {
            foreach (IRawFrameStream stream in held)
            {
                await stream.DisposeAsync();
            }
        }
    }, "refusing connections", options => options.MaxConnections = 8);

    [Fact]
    public async Task RefusalsAreLoggedOncePerRun_NotOncePerConnection()
    {
        var log = new LogLines();
        await using var subscriber = new TcpFrameSubscriber(static (in System.Buffers.ReadOnlySequence<byte> _) => { }, new SubscriberOptions { MaxConnections = 1, Log = log.Sink });
        await subscriber.StartAsync();
        await using IRawFrameStream held = await RawStreamSocketFrameStream.OpenAsync(subscriber.EndPoint);
        await Eventually.HoldsAsync(() => subscriber.Statistics.ConnectionsOpen == 1, Patience, "the first connection served");
        for (int i = 0; i < 20; i++)
        {
            await ConnectAndSeeItResetAsync(subscriber.EndPoint);
        }

        Assert.Single(log.All, line => line.Contains("refusing connections", StringComparison.Ordinal));
        Assert.Equal(20, subscriber.Statistics.Errors);
    }

    [Fact]
    public async Task HeldConnections_GetNoMoreDedicatedThreadsThanTheCap()
    {
        const int Held = 40;
        await using var subscriber = new TcpFrameSubscriber(static (in System.Buffers.ReadOnlySequence<byte> _) => { }, new SubscriberOptions { DedicatedReceiveThreads = true, MaxDedicatedReceiveThreads = 2 });
        await subscriber.StartAsync();
        var held = new List<IRawFrameStream>();
        try
        {
            for (int i = 0; i < Held; i++)
            {
                held.Add(await RawStreamSocketFrameStream.OpenAsync(subscriber.EndPoint));
            }

            await Eventually.HoldsAsync(() => subscriber.Statistics.ConnectionsOpen == Held, Patience, $"{Held} connections open");
            Assert.Equal(2, ProcessResources.ThreadsNamed(ShmIpc.NetTransports.StreamSockets.StreamSocketSubscriberConnection.ReceiveThreadName));
        }
        finally
        {
            foreach (IRawFrameStream stream in held)
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Connects and waits until the subscriber has closed the connection. The kernel completes the handshake before
    /// the subscriber accepts, so the reset may also come back as the connect's own result.
    /// </summary>
    private static async Task ConnectAndSeeItResetAsync(EndPoint endPoint)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var patience = new CancellationTokenSource(Patience);
        try
        {
            await socket.ConnectAsync(endPoint, patience.Token);
            while (await socket.ReceiveAsync(new byte[16], SocketFlags.None, patience.Token) > 0)
            {
            }
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Reset by the subscriber, as expected.
        }
    }

    internal override IFrameSubscriber CreateSubscriber(FrameHandler handler, SubscriberOptions options)
    {
        options.DedicatedReceiveThreads = false;
        return new TcpFrameSubscriber(handler, options);
    }

    internal override IFramePublisher CreatePublisher(EndPoint endPoint) => FramePublisher.CreateTcp((IPEndPoint)endPoint);

    internal override Task<IRawFrameStream> OpenRawStreamAsync(EndPoint endPoint) => RawStreamSocketFrameStream.OpenAsync(endPoint);
}
