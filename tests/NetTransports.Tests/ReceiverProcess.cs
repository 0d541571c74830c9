using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using ShmIpc.NetTransports.Http2;
using ShmIpc.NetTransports.Grpc;
using ShmIpc.NetTransports.Tcp;

namespace ShmIpc.NetTransports.Tests;

/// <summary>
/// This test assembly is also a tiny receiver program, so the allocation tests can count a subscriber's allocations in
/// a process that does nothing else (the test host's own background allocations would otherwise blur the figure):
/// <c>dotnet exec ShmIpc.NetTransports.Tests.dll tcp|tcp-async|http2|grpc WARMUP MEASURED</c> starts a subscriber on an
/// ephemeral loopback port, prints the port, then after WARMUP + MEASURED messages prints the bytes the whole process
/// allocated per message after the warm-up, and exits. (<c>uds-listen PATH</c>: a Unix socket subscriber for a test to
/// kill, <see cref="UnixSockets.KilledSubscriberProcess"/>.)
/// </summary>
public static class ReceiverProcess
{
    /// <summary>Payload of the frames the allocation tests send: 16 KiB.</summary>
    public const int PayloadLength = 16 * 1024;

    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args[0] == UnixSockets.KilledSubscriberProcess.Mode)
        {
            return UnixSockets.KilledSubscriberProcess.Run(args[1]);
        }

        int warmUp = int.Parse(args[1], CultureInfo.InvariantCulture);
        int measured = int.Parse(args[2], CultureInfo.InvariantCulture);
        int received = 0;
        IAsyncDisposable subscriber;
        System.Net.IPEndPoint endPoint;
        switch (args[0])
        {
            default:
                FrameHandler count = (in ReadOnlySequence<byte> _) => Interlocked.Increment(ref received);
                IFrameSubscriber frames = args[0] switch
                {
                    "tcp" => new TcpFrameSubscriber(count),
                    "tcp-async" => new TcpFrameSubscriber(count, new SubscriberOptions { DedicatedReceiveThreads = false }),
                    "grpc" => new GrpcFrameSubscriber(count),
                    _ => new Http2FrameSubscriber(count),
                };
                frames.StartAsync().GetAwaiter().GetResult();
                (subscriber, endPoint) = (frames, (System.Net.IPEndPoint)frames.EndPoint);
                break;
        }

        Console.WriteLine(endPoint.Port.ToString(CultureInfo.InvariantCulture));
        while (Volatile.Read(ref received) < warmUp)
        {
            Thread.Sleep(1);
        }

        // Counted from the first message after the warm-up that this loop sees; Thread.Sleep allocates nothing.
        int countedFrom = Volatile.Read(ref received);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        while (Volatile.Read(ref received) < warmUp + measured)
        {
            Thread.Sleep(1);
        }

        long after = GC.GetTotalAllocatedBytes(precise: true);
        int counted = warmUp + measured - countedFrom;
        Console.WriteLine(((after - before) / (double)counted).ToString("0.###", CultureInfo.InvariantCulture));
        subscriber.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }

    /// <summary>
    /// Starts a receiver process, lets <paramref name="send"/> push WARMUP + MEASURED messages to it from this process,
    /// and returns the receiver process's bytes allocated per message after the warm-up.
    /// </summary>
    public static async Task<double> MeasureBytesPerMessageAsync(string transport, int warmUp, int measured, Func<System.Net.IPEndPoint, int, Task> send)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "exec", typeof(ReceiverProcess).Assembly.Location, transport, warmUp.ToString(CultureInfo.InvariantCulture), measured.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start)!;
        try
        {
            string port = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException("the receiver process printed no port");
            await send(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture)), warmUp + measured);
            string figure = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) ?? throw new InvalidOperationException("the receiver process printed no figure");
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            return double.Parse(figure, CultureInfo.InvariantCulture);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    /// <summary>Sends <paramref name="count"/> 16 KiB frames carrying their sequence number.</summary>
    public static async Task SendFramesAsync(IFramePublisher publisher, int count)
    {
        await publisher.ConnectAsync();
        for (long sequence = 0; sequence < count; sequence++)
        {
            await publisher.SendAsync(
                PayloadLength,
                static (destination, sequence) =>
                {
                    BinaryPrimitives.WriteInt64LittleEndian(destination, sequence);
                    return PayloadLength;
                },
                sequence);
        }
    }
}
