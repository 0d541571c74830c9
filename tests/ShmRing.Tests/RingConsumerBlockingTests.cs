using System.Diagnostics;
using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests;

/// <summary>The futex wait: it must burn no core while idle, and a commit must wake it.</summary>
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
        RingReadStatus status = RingReadStatus.TimedOut;
        int readerThread = 0;
        var reader = Background.Start(() =>
        {
            Volatile.Write(ref readerThread, ThreadCpuTime.CurrentThreadId());
            status = consumer.Read(out _, TimeSpan.FromSeconds(20));
        });

        // Once asleep, the reader uses no CPU (a spinning one would use all 500 ms); a commit wakes it long before
        // its 10 s sleep budget ends.
        Thread.Sleep(100);
        long ticksBefore = ThreadCpuTime.Ticks(Volatile.Read(ref readerThread));
        Thread.Sleep(500);
        long ticksWhileWaiting = ThreadCpuTime.Ticks(readerThread) - ticksBefore;
        var watch = Stopwatch.StartNew();
        Assert.True(producer.TryWrite([1]));

        Assert.True(reader.Join(TimeSpan.FromSeconds(5)));
        Assert.Equal(RingReadStatus.Record, status);
        Assert.InRange(watch.ElapsedMilliseconds, 0, 1000);
        Assert.True(ticksWhileWaiting <= 5, $"the blocked reader used {ticksWhileWaiting * 10} ms of CPU in 500 ms");
    }
}
