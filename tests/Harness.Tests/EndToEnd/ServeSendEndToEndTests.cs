using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ShmIpc.Harness.Tests.EndToEnd;

/// <summary>`harness serve` and `harness send` as two separate commands, as a user runs them on two hosts.</summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class ServeSendEndToEndTests
{
    [Theory]
    [InlineData("msgpack")]
    [InlineData("uds")]
    [InlineData("shm")]
    public void SendToServe_DeliversEveryMessage_AndServeReportsIt(string transport)
    {
        string where = transport switch
        {
            "shm" => $"shmipc-serve-test-{Environment.ProcessId}",
            "uds" => $"unix:{Path.Combine(ShmIpc.NetTransports.UnixSockets.UnixSocketPath.DefaultDirectory, $"serve-test-{Environment.ProcessId}.sock")}",
            _ => $"127.0.0.1:{FreePort()}",
        };
        using var serve = HarnessProcess.Start("serve", "--transport", transport, "--listen", where, "--payload", "1k", "--warmup", "1s", "--duration", "2s");
        WaitFor(() => serve.Error.Contains("receiving at", StringComparison.Ordinal), serve);

        using var send = HarnessProcess.Start("send", "--transport", transport, "--connect", where, "--payload", "1k",
            "--qps", "500", "--warmup", "1s", "--duration", "2s", "--connections", "2");
        Assert.Equal(0, send.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, serve.WaitForExit(TimeSpan.FromSeconds(60)));

        // send: "sent 1,500 (...)"; serve: "received 1,500 (1,500 distinct, 0 duplicates, 0 corrupt)".
        Match sent = SentLine().Match(send.Output);
        Match received = ReceivedLine().Match(serve.Output);
        Assert.True(sent.Success, send.Output + send.Error);
        Assert.True(received.Success, serve.Output + serve.Error);
        long sentCount = long.Parse(sent.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.Equal(1_500, sentCount);
        Assert.Equal(sentCount, long.Parse(received.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
        Assert.Equal(sentCount, long.Parse(received.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
        Assert.Equal("0", received.Groups[3].Value);
        Assert.Equal("0", received.Groups[4].Value);
        Assert.Contains("latency from intended send", serve.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Send_WithABadAddress_SaysWhichOption()
    {
        using var send = HarnessProcess.Start("send", "--transport", "msgpack", "--connect", "nowhere");
        Assert.Equal(2, send.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains("--connect", send.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("send", "--connect", "unix:relative.sock", "not an absolute path")]
    [InlineData("send", "--connect", "127.0.0.1:7000", "is not unix:PATH")]
    [InlineData("serve", "--listen", "unix:/tmp/with\ttab.sock", "control character")]
    public void AUnixSocketAddressThatBreaksTheRule_SaysWhichOptionAndWhy(string command, string option, string value, string expected)
    {
        using var harness = HarnessProcess.Start(command, "--transport", "uds", option, value);
        Assert.Equal(2, harness.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains(option, harness.Error, StringComparison.Ordinal);
        Assert.Contains(expected, harness.Error, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void WaitFor(Func<bool> condition, HarnessProcess process)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"serve did not start: {process.Error}");
            Thread.Sleep(50);
        }
    }

    [GeneratedRegex(@"sent ([\d,]+) ")]
    private static partial Regex SentLine();

    [GeneratedRegex(@"received ([\d,]+) \(([\d,]+) distinct, (\d+) duplicates, (\d+) corrupt\)")]
    private static partial Regex ReceivedLine();
}
