using System.Diagnostics;
using System.Net.Sockets;
using ShmIpc.NetTransports.StreamSockets;

namespace ShmIpc.NetTransports.Tests.StreamSockets;

/// <summary>
/// The publisher's send stream, over TCP and a Unix domain socket: every byte in order through a full send buffer, the
/// wait for space in poll(2) with the socket never in the runtime's epoll set, and a wait that ends when cancelled, at
/// its deadline, or when the peer goes.
/// </summary>
public sealed class CallerThreadSendStreamTests
{
    public static TheoryData<string> Families => ["tcp", "unix"];

    [Theory]
    [MemberData(nameof(Families))]
    public async Task WriteAsync_ThroughAFullSendBuffer_CompletesOnTheCallersThreadWithEveryByteInOrder_AndTheSocketNeverJoinsAnEpollSet(string family)
    {
        using var pair = new ConnectedSocketPair(family);
        using var stream = new CallerThreadSendStream(pair.Sender);
        byte[] data = Pattern(ConnectedSocketPair.MoreThanTheBuffersHold);
        var reader = Task.Run(() =>
        {
            Thread.Sleep(200); // the writer meets a full buffer and waits
            return ReadAll(pair.Receiver, data.Length);
        });

        var clock = Stopwatch.StartNew();
        ValueTask write = stream.WriteAsync(data);
        TimeSpan waited = clock.Elapsed;

        Assert.True(write.IsCompletedSuccessfully, "the write returned before it was done");
        Assert.True(waited >= TimeSpan.FromMilliseconds(150), $"the write took {waited.TotalMilliseconds:0} ms: it never met a full buffer, so the wait was not tested");
        Assert.DoesNotContain(EpollRegistrations.Descriptor(pair.Sender), EpollRegistrations.Current());
        await write;
        Assert.Equal(data, await reader);
    }

    [Fact]
    public async Task EpollRegistrations_SeeASocketThatAnAsyncReceiveWaitedOn()
    {
        // The check the test above relies on can fail: an async receive with nothing to read puts its socket in.
        using var pair = new ConnectedSocketPair("unix");
        using var cancel = new CancellationTokenSource();
        ValueTask<int> pending = pair.Receiver.ReceiveAsync(new byte[16], SocketFlags.None, cancel.Token);

        Assert.Contains(EpollRegistrations.Descriptor(pair.Receiver), EpollRegistrations.Current());
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task WriteAsync_NobodyReads_ACancelledTokenEndsTheWait(string family)
    {
        using var pair = new ConnectedSocketPair(family);
        using var stream = new CallerThreadSendStream(pair.Sender);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.WriteAsync(Pattern(ConnectedSocketPair.MoreThanTheBuffersHold), cancel.Token));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Write_NobodyReads_TheWaitEndsAtTheDeadline(string family)
    {
        using var pair = new ConnectedSocketPair(family);
        using var stream = new CallerThreadSendStream(pair.Sender);
        stream.SetWaitDeadline(TimeSpan.FromMilliseconds(200));

        var clock = Stopwatch.StartNew();
        Assert.Throws<TimeoutException>(() => stream.Write(Pattern(ConnectedSocketPair.MoreThanTheBuffersHold)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task WriteAsync_ThePeerClosesWhileTheWriteWaits_FailsWithIOException(string family)
    {
        using var pair = new ConnectedSocketPair(family);
        using var stream = new CallerThreadSendStream(pair.Sender);
        var closer = Task.Run(() =>
        {
            Thread.Sleep(200);
            pair.Receiver.Close();
        });

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<IOException>(async () => await stream.WriteAsync(Pattern(ConnectedSocketPair.MoreThanTheBuffersHold)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
        Assert.IsType<SocketException>(failure.InnerException);
        await closer;
    }

    private static byte[] Pattern(int length)
    {
        byte[] data = new byte[length];
        for (int index = 0; index < data.Length; index++)
        {
            data[index] = (byte)((index * 7) + (index >> 12));
        }

        return data;
    }

    private static byte[] ReadAll(Socket socket, int length)
    {
        byte[] received = new byte[length];
        int filled = 0;
        while (filled < length)
        {
            int read = socket.Receive(received.AsSpan(filled));
            Assert.NotEqual(0, read);
            filled += read;
        }

        return received;
    }
}
