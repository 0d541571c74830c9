using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ShmIpc.Codecs;
using ShmIpc.Codecs.MessagePack;
using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;
using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Tests.EndToEnd;

/// <summary>
/// `harness send` and `harness serve` under faults, as separate processes: one line naming what failed and exit 1,
/// never a stack trace; `serve` fails its run after a corrupted ring or a corrupt payload.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CommandLineFaultEndToEndTests
{
    /// <summary>The documented ring layout (docs/ring-layout.md): the data region's offset, and a record's payload length field.</summary>
    private const int DataOffset = 12288;
    private const int RecordPayloadLengthOffset = 12;

    [Theory]
    [InlineData("fb")]
    [InlineData("msgpack")]
    public void Send_RefusedByEveryPort_SaysSoInOneLine(string transport)
    {
        using var send = HarnessProcess.Start("send", "--transport", transport, "--connect", $"127.0.0.1:{UnusedPort()}", "--connections", "1", "--warmup", "0s", "--duration", "1s");

        Assert.Equal(1, send.WaitForExit(TimeSpan.FromSeconds(60)));
        AssertOneLine(send.Error, $"send: stopped: {transport}: ");
        Assert.Contains("refused", send.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Send_ToAListenerThatNeverAnswers_SaysItTimedOut()
    {
        // A listener whose accept queue is full: the kernel drops further SYNs, so a connect gets no answer at all.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var fillers = new List<Socket>();
        try
        {
            while (fillers.Count < 8 && TryConnectWithin(listener.LocalEndPoint!, TimeSpan.FromMilliseconds(300), out Socket? filler))
            {
                fillers.Add(filler!);
            }
            Assert.True(fillers.Count < 8, "the listener's accept queue never filled");

            using var send = HarnessProcess.Start("send", "--transport", "msgpack", "--connect", $"127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}", "--connections", "1", "--warmup", "0s", "--duration", "1s");

            Assert.Equal(1, send.WaitForExit(TimeSpan.FromSeconds(60)));
            AssertOneLine(send.Error, "send: stopped: msgpack: ");
            Assert.Contains("no answer within", send.Error, StringComparison.Ordinal);
        }
        finally
        {
            fillers.ForEach(filler => filler.Dispose());
        }
    }

    [Fact]
    public void Send_ToAMissingRing_SaysSoInOneLine()
    {
        using var send = HarnessProcess.Start("send", "--transport", "shm", "--connect", $"shmipc-cli-fault-missing-{Environment.ProcessId}", "--warmup", "0s", "--duration", "1s");

        Assert.Equal(1, send.WaitForExit(TimeSpan.FromSeconds(60)));
        AssertOneLine(send.Error, "send: stopped: shm: ");
        Assert.Contains("does not exist", send.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Send_ToAFileThatIsNoRing_SaysSoInOneLine()
    {
        string name = $"shmipc-cli-fault-garbage-{Environment.ProcessId}";
        string path = $"/dev/shm/shmring.{name}";
        File.WriteAllBytes(path, Enumerable.Repeat((byte)0x5A, 2 * DataOffset).ToArray());
        try
        {
            using var send = HarnessProcess.Start("send", "--transport", "shm", "--connect", name, "--warmup", "0s", "--duration", "1s");

            Assert.Equal(1, send.WaitForExit(TimeSpan.FromSeconds(60)));
            AssertOneLine(send.Error, "send: stopped: shm: ");
            Assert.Contains("magic", send.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Serve_AfterTheRingIsCorrupted_ExitsNonZeroNamingIt()
    {
        string name = $"shmipc-cli-fault-corrupt-{Environment.ProcessId}";
        using var serve = HarnessProcess.Start("serve", "--transport", "shm", "--listen", name, "--warmup", "0s", "--duration", "1s");
        WaitFor(() => serve.Error.Contains("receiving at", StringComparison.Ordinal), serve);
        RunSettings settings = TestSettings.For(TransportKind.SharedMemory);
        using var producer = RingProducer.Attach(name, ShmRingOptions.For(settings));

        // Stopped, the receiver cannot read the record between its commit and its corruption.
        Signal("STOP", serve.ProcessId);
        try
        {
            WaitFor(() => File.ReadAllText($"/proc/{serve.ProcessId}/stat").Split(' ')[2] == "T", serve);
            Assert.True(producer.TryWrite(new byte[100]));
            using (var ring = new FileStream($"/dev/shm/shmring.{name}", FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
            {
                Span<byte> length = stackalloc byte[sizeof(uint)];
                BinaryPrimitives.WriteUInt32LittleEndian(length, int.MaxValue);
                ring.Position = DataOffset + RecordPayloadLengthOffset;
                ring.Write(length);
            }
        }
        finally
        {
            Signal("CONT", serve.ProcessId);
        }

        Assert.Equal(1, serve.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("serve: shm: the ring failed", serve.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_AfterACorruptPayload_ExitsNonZeroNamingIt()
    {
        int port = UnusedPort();
        using var serve = HarnessProcess.Start("serve", "--transport", "msgpack", "--listen", $"127.0.0.1:{port}", "--payload", "1k", "--warmup", "0s", "--duration", "500ms");
        WaitFor(() => serve.Error.Contains("receiving at", StringComparison.Ordinal), serve);
        RunSettings settings = TestSettings.For(TransportKind.MessagePackTcp, payloadBytes: 1024);
        MarketSnapshot snapshot = new SnapshotPool(settings.Seed, settings.InstrumentCount, RunSettings.SnapshotPoolSize).For(0);
        var codec = new MessagePackSnapshotCodec();
        byte[] good = new byte[codec.GetMaxEncodedLength(snapshot.InstrumentCount)];
        int goodLength = codec.Encode(snapshot, good);

        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            client.Connect(IPAddress.Loopback, port);
            client.Send(Frame(good.AsSpan(0, goodLength)));             // opens the window
            client.Send(Frame([0xC1, 0xC1, 0xC1, 0xC1]));              // a frame, but not MessagePack (0xC1 is never used)
            client.Shutdown(SocketShutdown.Send);
        }

        Assert.Equal(1, serve.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("serve: msgpack: 1 payloads were corrupt", serve.Error, StringComparison.Ordinal);
        Assert.Contains("received 1 (1 distinct, 0 duplicates, 1 corrupt)", serve.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_WithManyHeldConnections_BoundsItsThreads_AndRefusesPastTheCapInOneLine()
    {
        const int Cap = 30;
        int port = UnusedPort();
        using var serve = HarnessProcess.Start("serve", "--transport", "msgpack", "--listen", $"127.0.0.1:{port}", "--max-connections", Cap.ToString(CultureInfo.InvariantCulture), "--warmup", "0s", "--duration", "1s");
        WaitFor(() => serve.Error.Contains("receiving at", StringComparison.Ordinal), serve);
        int threadsBefore = ThreadsOf(serve.ProcessId);
        var held = new List<Socket>();
        try
        {
            for (int i = 0; i < Cap + 10; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                held.Add(socket);
                socket.Connect(IPAddress.Loopback, port);
            }

            WaitFor(() => serve.Error.Contains("refusing connections", StringComparison.Ordinal), serve);
            Thread.Sleep(500); // any further refusal line, or thread, would show by now
            int threadsHeld = ThreadsOf(serve.ProcessId);
            Assert.True(threadsHeld < threadsBefore + 10, $"serve went from {threadsBefore} to {threadsHeld} threads with {Cap} connections held");
            Assert.Single(serve.Error.Split('\n'), line => line.Contains("refusing connections", StringComparison.Ordinal));
        }
        finally
        {
            held.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    public void ServeHelp_SaysWhatTheFrameCapAndTimeoutsAre()
    {
        using var help = HarnessProcess.Start("serve", "--help");

        Assert.Equal(0, help.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("--max-frame", help.Output, StringComparison.Ordinal);
        Assert.Contains("Default 4m", help.Output, StringComparison.Ordinal);
        Assert.Contains("--frame-timeout", help.Output, StringComparison.Ordinal);
        Assert.Contains("--idle-timeout", help.Output, StringComparison.Ordinal);
        Assert.Contains("--max-connections", help.Output, StringComparison.Ordinal);
    }

    private static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[8 + payload.Length];
        "SHMF"u8.CopyTo(frame);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(8));
        return frame;
    }

    private static bool TryConnectWithin(EndPoint endPoint, TimeSpan timeout, out Socket? connected)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (socket.ConnectAsync(endPoint).Wait(timeout))
        {
            connected = socket;
            return true;
        }
        socket.Dispose();
        connected = null;
        return false;
    }

    private static int UnusedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static int ThreadsOf(int processId) =>
        int.Parse(File.ReadLines($"/proc/{processId}/status").First(line => line.StartsWith("Threads:", StringComparison.Ordinal))["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);

    private static void Signal(string signal, int processId)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static void WaitFor(Func<bool> condition, HarnessProcess process)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"serve did not get there: {process.Error}");
            Thread.Sleep(20);
        }
    }

    private static void AssertOneLine(string error, string start)
    {
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith(start, StringComparison.Ordinal), $"expected one line starting '{start}', got:\n{error}");
    }
}
