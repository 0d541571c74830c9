using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>
/// The gRPC publisher's request-body stream (<see cref="CoalescingRequestStream"/>) over a stand-in request stream whose
/// writes the test completes by hand, so every step is deterministic: nothing here depends on timing.
/// </summary>
public sealed class CoalescingRequestStreamTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AFlushWithNothingInFlight_GoesOutBeforeItReturns()
    {
        var inner = new GatedStream();
        await using var stream = new CoalescingRequestStream(inner, 1024);
        byte[] message = Message(1, 100);

        await stream.WriteAsync(message);
        Assert.Empty(inner.Bytes); // a write alone only buffers, as a buffered stream does
        Task flush = stream.FlushAsync();

        Assert.True(flush.IsCompletedSuccessfully);
        Assert.Equal(message, inner.Bytes);
        Assert.Equal(1, inner.Flushes);
        Assert.Equal(0, stream.BufferedLength);
    }

    [Fact]
    public async Task WritesWhileASendIsInFlight_ReturnAtOnce_AndGoOutInOrderInOneWrite()
    {
        var inner = new GatedStream { Gated = true };
        await using var stream = new CoalescingRequestStream(inner, 64 * 1024);
        byte[] first = Message(0, 1000);
        await stream.WriteAsync(first);
        await stream.FlushAsync();
        Assert.True(inner.WriteInFlight);

        byte[][] held = [.. Enumerable.Range(1, 40).Select(sequence => Message(sequence, 1000 + sequence))];
        foreach (byte[] message in held)
        {
            ValueTask write = stream.WriteAsync(message);
            Assert.True(write.IsCompletedSuccessfully); // buffered, not waiting for the send in flight
            Assert.True(stream.FlushAsync().IsCompletedSuccessfully);
        }

        Assert.Equal(first, inner.Bytes); // nothing overtook the write in flight
        inner.OpenGate(); // the pump sends everything held in one write (now in flight)
        Assert.Equal(new[] { first.Length, held.Sum(message => message.Length) }, inner.WriteSizes);
        inner.OpenGate();

        await stream.WaitUntilSentAsync().AsTask().WaitAsync(HangGuard);
        Assert.Equal([.. first, .. held.SelectMany(message => message)], inner.Bytes);
        Assert.Equal(2, inner.Flushes); // one per write of the inner stream, not one per message
    }

    [Fact]
    public async Task ManyMessagesThroughASlowStream_ArriveIntactAndInOrder()
    {
        const int capacity = 4096;
        var inner = new GatedStream { Gated = true };
        await using var stream = new CoalescingRequestStream(inner, capacity);
        var random = new Random(13);
        byte[][] messages = [.. Enumerable.Range(0, 500).Select(sequence => Message(sequence, random.Next(1, 3 * capacity)))];

        // The writer runs ahead; the "connection" completes one write at a time whenever one is in flight.
        Task writer = Task.Run(async () =>
        {
            foreach (byte[] message in messages)
            {
                await stream.WriteAsync(message);
                await stream.FlushAsync();
            }

            await stream.WaitUntilSentAsync();
        });
        await inner.OpenGateUntilAsync(writer);

        await writer.WaitAsync(HangGuard);
        Assert.Equal(messages.SelectMany(message => message).ToArray(), inner.Bytes);
        Assert.All(inner.WriteSizes, size => Assert.InRange(size, 1, capacity));
    }

    [Fact]
    public async Task AWriteThatDoesNotFit_WaitsForTheSendInFlight_AndNoMoreThanTheCapacityIsHeld()
    {
        const int capacity = 100;
        var inner = new GatedStream { Gated = true };
        await using var stream = new CoalescingRequestStream(inner, capacity);
        await stream.WriteAsync(Message(0, 60));
        await stream.FlushAsync(); // 60 bytes in flight
        Assert.True(stream.WriteAsync(Message(1, 100)).IsCompletedSuccessfully); // exactly the capacity held

        ValueTask blocked = stream.WriteAsync(Message(2, 150));
        Assert.False(blocked.IsCompleted);
        Assert.Equal(capacity, stream.BufferedLength);

        inner.OpenGate(); // the held 100 bytes go out; the waiting write may now fill the buffer again
        Task rest = blocked.AsTask();
        while (!rest.IsCompleted)
        {
            Assert.InRange(stream.BufferedLength, 0, capacity);
            if (inner.WriteInFlight)
            {
                inner.OpenGate();
            }
            else
            {
                await Task.Yield();
            }
        }

        await rest.WaitAsync(HangGuard);
        Task drain = stream.WaitUntilSentAsync().AsTask();
        await inner.OpenGateUntilAsync(drain);

        await drain.WaitAsync(HangGuard);
        Assert.Equal([.. Message(0, 60), .. Message(1, 100), .. Message(2, 150)], inner.Bytes);
        Assert.All(inner.WriteSizes, size => Assert.InRange(size, 1, capacity));
    }

    [Fact]
    public async Task WaitUntilSent_SendsWhatIsBuffered_AndCompletesOnlyWhenItIsWritten()
    {
        var inner = new GatedStream { Gated = true };
        await using var stream = new CoalescingRequestStream(inner, 1024);
        await stream.WriteAsync(Message(0, 10));
        await stream.FlushAsync();
        await stream.WriteAsync(Message(1, 20)); // held: a write with no flush after it, behind the one in flight

        Task drain = stream.WaitUntilSentAsync().AsTask();
        Assert.False(drain.IsCompleted);
        inner.OpenGate(); // the first write completes; the held bytes go out
        Assert.Equal(new[] { 10, 20 }, inner.WriteSizes);
        Assert.False(drain.IsCompleted);
        inner.OpenGate();

        await drain.WaitAsync(HangGuard);
        Assert.Equal([.. Message(0, 10), .. Message(1, 20)], inner.Bytes);
        Assert.Equal(2, inner.Flushes);
    }

    [Fact]
    public async Task WaitUntilSent_SendsBytesWrittenWithoutAnyFlush()
    {
        var inner = new GatedStream();
        await using var stream = new CoalescingRequestStream(inner, 1024);
        await stream.WriteAsync(Message(0, 10));

        await stream.WaitUntilSentAsync().AsTask().WaitAsync(HangGuard);
        Assert.Equal(Message(0, 10), inner.Bytes);
        Assert.Equal(1, inner.Flushes);
    }

    [Fact]
    public async Task AFailureOfTheSendInFlight_IsThrownByTheNextWriteFlushAndDrain()
    {
        var inner = new GatedStream { Gated = true };
        await using var stream = new CoalescingRequestStream(inner, 1024);
        await stream.WriteAsync(Message(0, 10));
        await stream.FlushAsync();
        await stream.WriteAsync(Message(1, 10)); // accepted while the send was still in flight

        var reset = new IOException("stream reset by the server");
        inner.FailInFlight(reset);

        IOException onWrite = await Assert.ThrowsAsync<IOException>(() => stream.WriteAsync(Message(2, 10)).AsTask());
        Assert.Same(reset, onWrite.InnerException);
        IOException onFlush = await Assert.ThrowsAsync<IOException>(() => stream.FlushAsync());
        Assert.Same(reset, onFlush.InnerException);
        IOException onDrain = await Assert.ThrowsAsync<IOException>(() => stream.WaitUntilSentAsync().AsTask().WaitAsync(HangGuard));
        Assert.Same(reset, onDrain.InnerException);
    }

    [Fact]
    public async Task AWriteWaitingForRoom_IsReleasedWithTheFailure_NotLeftHanging()
    {
        const int capacity = 100;
        var inner = new GatedStream { Gated = true };
        await using var stream = new CoalescingRequestStream(inner, capacity);
        await stream.WriteAsync(Message(0, 10));
        await stream.FlushAsync();
        Task blocked = stream.WriteAsync(Message(1, capacity + 50)).AsTask();
        Assert.False(blocked.IsCompleted);

        var reset = new IOException("connection lost");
        inner.FailInFlight(reset);

        IOException thrown = await Assert.ThrowsAsync<IOException>(() => blocked.WaitAsync(HangGuard));
        Assert.Same(reset, thrown.InnerException);
    }

    [Fact]
    public async Task AFailureOfAFlushWithNothingInFlight_IsThrownByTheNextCall()
    {
        var reset = new IOException("stream reset by the server");
        var inner = new GatedStream { FailWith = reset };
        await using var stream = new CoalescingRequestStream(inner, 1024);
        await stream.WriteAsync(Message(0, 10));
        await stream.FlushAsync(); // the send fails inline; the failure is kept for the next call

        IOException thrown = await Assert.ThrowsAsync<IOException>(() => stream.WriteAsync(Message(1, 10)).AsTask());
        Assert.Same(reset, thrown.InnerException);
    }

    [Fact]
    public async Task WaitUntilSent_OnABodyThatEndedWithEverythingSent_ReturnsAtOnce_AndOnOneThatEndedWithBytesHeld_Throws()
    {
        var inner = new GatedStream();
        var sent = new CoalescingRequestStream(inner, 1024);
        await sent.WriteAsync(Message(0, 10));
        await sent.FlushAsync();
        await sent.DisposeAsync();
        Assert.True(sent.WaitUntilSentAsync().IsCompletedSuccessfully);

        var held = new CoalescingRequestStream(new GatedStream(), 1024);
        await held.WriteAsync(Message(0, 10)); // no flush: still held when the body ends
        await held.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => held.WaitUntilSentAsync().AsTask());
    }

    [Fact]
    public async Task AWriteWaitingForRoom_ThrowsWhenTheBodyIsDisposed_NotLeftHanging()
    {
        var inner = new GatedStream { Gated = true };
        var stream = new CoalescingRequestStream(inner, 100);
        await stream.WriteAsync(Message(0, 10));
        await stream.FlushAsync();
        Task blocked = stream.WriteAsync(Message(1, 150)).AsTask();
        Assert.False(blocked.IsCompleted);

        await stream.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => blocked.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task AWriterAgainstAConnectionThatCompletesWritesAtRandomPoints_DeliversEveryByteOnceInOrder()
    {
        // A small capacity: the ring wraps often. Most messages fit while a write is in flight, one in four may wait for
        // room. The writer has a thread of its own and blocks in its waits, so it always resumes there and runs while
        // the pump runs on the "connection's" thread (or inline in the writer's flush that wakes it).
        const int capacity = 1000;
        var inner = new GatedStream { Gated = true };
        await using var stream = new CoalescingRequestStream(inner, capacity);
        var random = new Random(29);
        byte[][] messages =
        [
            .. Enumerable.Range(0, 10_000).Select(sequence => Message(sequence, random.Next(4) == 0 ? random.Next(1, 5 * capacity / 2) : random.Next(1, capacity / 4))),
        ];
        int[] after = [.. messages.Select(_ => random.Next(10))]; // 0-6: a flush; 7: a wait until sent; 8, 9: nothing
        using var hang = new CancellationTokenSource(HangGuard);

        Task writer = Task.Factory.StartNew(() => WriteAllBlocking(stream, messages, after), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Task connection = Task.Run(() =>
        {
            var pace = new Random(31);
            while (!writer.IsCompleted && !hang.IsCancellationRequested)
            {
                Assert.InRange(stream.BufferedLength, 0, capacity);
                if (inner.WriteInFlight)
                {
                    Thread.SpinWait(pace.Next(2000)); // the writer gets further, or not
                    inner.Gated = pace.Next(8) != 0; // now and then the next write completes at once
                    inner.OpenGate();
                }
                else
                {
                    Thread.Yield();
                }
            }
        });

        await connection; // ends when the writer does, or after the hang guard
        Assert.True(writer.IsCompleted, "the writer hung");
        await writer;
        Assert.Equal(messages.SelectMany(message => message).ToArray(), inner.Bytes);
        Assert.All(inner.WriteSizes, size => Assert.InRange(size, 1, capacity));
    }

    private static void WriteAllBlocking(CoalescingRequestStream stream, byte[][] messages, int[] after)
    {
        for (int index = 0; index < messages.Length; index++)
        {
            stream.WriteAsync(messages[index]).AsTask().GetAwaiter().GetResult();
            if (after[index] < 7)
            {
                stream.FlushAsync().GetAwaiter().GetResult();
            }
            else if (after[index] == 7)
            {
                stream.WaitUntilSentAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        stream.WaitUntilSentAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>A message whose bytes say which it is and where in it each byte sits.</summary>
    private static byte[] Message(int sequence, int length) =>
        [.. Enumerable.Range(0, length).Select(offset => (byte)((sequence * 31) + offset))];
}
