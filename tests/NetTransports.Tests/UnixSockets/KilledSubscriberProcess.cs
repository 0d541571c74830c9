using System.Buffers;
using System.Diagnostics;
using ShmIpc.NetTransports.UnixSockets;

namespace ShmIpc.NetTransports.Tests.UnixSockets;

/// <summary>
/// A Unix socket subscriber in a process of its own, killed with SIGKILL by the test that started it: what leaves a
/// stale socket file behind in real life (a subscriber that ran its dispose would have removed it).
/// </summary>
internal static class KilledSubscriberProcess
{
    /// <summary>The test assembly's first argument that runs <see cref="Run"/> (see <see cref="ReceiverProcess"/>).</summary>
    public const string Mode = "uds-listen";

    private const string Listening = "listening";

    /// <summary>In the child: listens on <paramref name="path"/>, says so, and waits to be killed.</summary>
    public static int Run(string path)
    {
        var subscriber = new UnixSocketFrameSubscriber(static (in ReadOnlySequence<byte> _) => { }, new SubscriberOptions { EndPoint = UnixSocketPath.ToEndPoint(path) });
        subscriber.StartAsync().GetAwaiter().GetResult();
        Console.WriteLine(Listening);
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    /// <summary>Starts a child listening on <paramref name="path"/>, waits until it is, and kills it (SIGKILL: no dispose runs).</summary>
    public static async Task ListenThenKillAsync(string path)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "exec", typeof(ReceiverProcess).Assembly.Location, Mode, path },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start)!;
        try
        {
            string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(Listening, line);
        }
        finally
        {
            process.Kill(); // SIGKILL on Linux
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
