using System.Net;
using System.Net.Sockets;

namespace ShmIpc.Harness.Tests.EndToEnd;

/// <summary>A transport that fails reaches the user as one line naming the transport and why, never a stack trace.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class TransportFaultEndToEndTests
{
    [Fact]
    public void Send_ToAnAddressNobodyListensAt_SaysSoInOneLine()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        using var send = HarnessProcess.Start("send", "--transport", "msgpack", "--connect", $"127.0.0.1:{port}", "--qps", "500", "--warmup", "0s", "--duration", "1s");

        Assert.Equal(1, send.WaitForExit(TimeSpan.FromSeconds(60)));
        AssertOneLine(send.Error, "send: stopped: msgpack: ");
    }

    [Fact]
    public void Serve_OnAPortInUse_SaysSoInOneLine()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var serve = HarnessProcess.Start("serve", "--transport", "msgpack", "--listen", $"127.0.0.1:{port}", "--warmup", "0s", "--duration", "1s");

        Assert.Equal(1, serve.WaitForExit(TimeSpan.FromSeconds(60)));
        AssertOneLine(serve.Error, "serve: msgpack: ");
    }

    private static void AssertOneLine(string error, string start)
    {
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith(start, StringComparison.Ordinal), $"expected one line starting '{start}', got:\n{error}");
    }
}
