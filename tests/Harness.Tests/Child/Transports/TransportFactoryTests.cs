using System.Net;
using System.Net.Sockets;
using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;
using ShmIpc.NetTransports;
using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Tests.Child.Transports;

/// <summary>Transports that cannot be set up fail as the harness's one fault type, naming the transport.</summary>
public sealed class TransportFactoryTests
{
    [Fact]
    public async Task ASenderWithNobodyListening_FailsAsATransportFault()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var fault = await Assert.ThrowsAsync<TransportFaultException>(() =>
            TransportFactory.CreateSenderAsync(TestSettings.For(TransportKind.MessagePackTcp), $"127.0.0.1:{port}"));

        Assert.Equal(TransportKind.MessagePackTcp, fault.Transport);
        Assert.StartsWith("msgpack: ", fault.Message, StringComparison.Ordinal);
        Assert.IsType<TransportException>(fault.InnerException);
    }

    [Fact]
    public async Task AReceiverOnAPortInUse_FailsAsATransportFault()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        RunSettings settings = TestSettings.For(TransportKind.FlatBuffersHttp2) with { ListenPort = ((IPEndPoint)taken.LocalEndpoint).Port };

        var fault = await Assert.ThrowsAsync<TransportFaultException>(() => TransportFactory.CreateReceiverAsync(settings, new LatencyRecording(1024)));

        Assert.Equal(TransportKind.FlatBuffersHttp2, fault.Transport);
        Assert.StartsWith("fb: ", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUdsSenderWithNobodyListening_FailsAsATransportFault()
    {
        string nobody = Path.Combine(ShmIpc.NetTransports.UnixSockets.UnixSocketPath.DefaultDirectory, $"nobody-{Environment.ProcessId}.sock");

        var fault = await Assert.ThrowsAsync<TransportFaultException>(() =>
            TransportFactory.CreateSenderAsync(TestSettings.For(TransportKind.MessagePackUnixSocket), $"unix:{nobody}"));

        Assert.Equal(TransportKind.MessagePackUnixSocket, fault.Transport);
        Assert.StartsWith("uds: ", fault.Message, StringComparison.Ordinal);
        Assert.IsType<TransportException>(fault.InnerException);
    }

    [Fact]
    public async Task AUdsReceiver_ListensOnItsPathAndSaysSo_AndASecondOneThereFailsAsATransportFault()
    {
        string path = Path.Combine(ShmIpc.NetTransports.UnixSockets.UnixSocketPath.DefaultDirectory, $"factory-test-{Environment.ProcessId}.sock");
        RunSettings settings = TestSettings.For(TransportKind.MessagePackUnixSocket) with { ListenSocketPath = path };
        await using (ISnapshotReceiver first = await TransportFactory.CreateReceiverAsync(settings, new LatencyRecording(1024)))
        {
            Assert.Equal($"unix:{path}", first.Endpoint);
            var fault = await Assert.ThrowsAsync<TransportFaultException>(() => TransportFactory.CreateReceiverAsync(settings, new LatencyRecording(1024)));
            Assert.Equal(TransportKind.MessagePackUnixSocket, fault.Transport);
            Assert.Contains("another subscriber is listening", fault.Message, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(path), "the receiver left its socket file behind");
    }

    [Fact]
    public async Task AShmSenderWithNoSegment_FailsAsATransportFault()
    {
        var fault = await Assert.ThrowsAsync<TransportFaultException>(() =>
            TransportFactory.CreateSenderAsync(TestSettings.For(TransportKind.SharedMemory, payloadBytes: 1024), $"shmipc-harness-test-missing-{Environment.ProcessId}"));

        Assert.Equal(TransportKind.SharedMemory, fault.Transport);
        Assert.IsType<RingException>(fault.InnerException);
    }
}
