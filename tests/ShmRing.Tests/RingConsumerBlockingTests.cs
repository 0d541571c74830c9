using System.Diagnostics;
using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests;

/// <summary>The futex wait: it must burn no core while idle (measured as process CPU time, so run alone).</summary>
[Collection(SerialCollection.Name)]
public sealed class RingConsumerBlockingTests
{
    [Fact]
    public void Read_SpinThenBlock_SleepsOnTheFutexAndIsWokenByTheCommit()
    {
        string name = TestRing.UniqueName("futex");
        RingOptions options = TestRing.Small() with { WaitStrategy = RingWaitStrategy.SpinThenBlock, PeerCheckInterval = TimeSpan.FromSeconds(10) };
        using var consumer = RingConsumer.Create(name, options);
        using var producer = RingProducer.Attach(name, options);
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        RingReadStatus status = RingReadStatus.TimedOut;
        var reader = Background.Start(() => status = consumer.Read(out _, TimeSpan.FromSeconds(20)));

        // The reader sleeps (no CPU) for 500 ms; a commit wakes it long before its 10 s sleep budget ends.
        Thread.Sleep(500);
        TimeSpan cpuWhileWaiting = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var watch = Stopwatch.StartNew();
        Assert.True(producer.TryWrite([1]));

        Assert.True(reader.Join(TimeSpan.FromSeconds(5)));
        Assert.Equal(RingReadStatus.Record, status);
        Assert.InRange(watch.ElapsedMilliseconds, 0, 1000);
        Assert.True(cpuWhileWaiting < TimeSpan.FromMilliseconds(250), $"the blocked reader used {cpuWhileWaiting.TotalMilliseconds} ms of CPU in 500 ms");
    }
}
