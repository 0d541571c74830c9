using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests;

/// <summary>
/// The MPSC skip decision against real producers and a real consumer, each held at a named protocol step
/// (<see cref="RingStepHooks"/>) while another party moves: a committed record is never skipped, whatever happens
/// between the consumer's first look at the tag, its intent scan and its skip.
/// </summary>
public sealed class DeadClaimResolverInterleavingTests
{
    private const int Payload = 100;                        // a 192-byte record: [0, 192)
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private static RingOptions Options => TestRing.Small(RingKind.MultiProducer) with { PeerCheckInterval = TimeSpan.FromMilliseconds(1) };

    [Fact]
    public void AnIntentNeverInstalled_ProvesNothing_WhenTheClaimantCommitsBeforeTheScan()
    {
        string name = TestRing.UniqueName("uninstalled");
        using var consumer = RingConsumer.Create(name, Options);
        using var view = new SegmentView(name, Options);
        using var producer = RingProducer.Attach(name, Options);
        Assert.True(producer.TryClaim(Payload, out RingClaim claim));

        // A producer killed between its intent and its CAS: slot 5 announces [0, 64), which it never claimed.
        view.PlantIntent(5, DeadOwner.Word, replaced: 0, end: 64 | 6);
        using var gate = new StepGate(RingStep.ConsumerScanStarting);
        Task<Received> reading = ReadOne(consumer, gate);
        gate.WaitUntilHeld();

        // The claimant commits (and clears its intent) between the consumer's tag check and its scan.
        claim.Destination[..Payload].Fill(7);
        claim.Commit(Payload, recordType: 1);
        gate.Release();

        Received received = Await(reading);
        Assert.Equal(RingReadStatus.Record, received.Status);
        Assert.Equal(Enumerable.Repeat((byte)7, Payload), received.Payload);
        Assert.Equal(0, received.Skipped);
    }

    [Fact]
    public void AClaimantThatCommitsAndDetachesDuringTheScan_IsNotSkipped()
    {
        string name = TestRing.UniqueName("detached");
        using var consumer = RingConsumer.Create(name, Options);
        var producer = RingProducer.Attach(name, Options);
        Assert.True(producer.TryClaim(Payload, out RingClaim claim));
        using var gate = new StepGate(RingStep.ConsumerIntentRead);
        Task<Received> reading = ReadOne(consumer, gate);

        // The consumer holds the claimant's intent and has not read its owner word yet.
        gate.WaitUntilHeld();
        claim.Destination[..Payload].Fill(8);
        claim.Commit(Payload, recordType: 1);
        producer.Dispose();
        gate.Release();

        Received received = Await(reading);
        Assert.Equal(RingReadStatus.Record, received.Status);
        Assert.Equal(Enumerable.Repeat((byte)8, Payload), received.Payload);
        Assert.Equal(0, received.Skipped);
    }

    [Fact]
    public void AClaimantKilledBetweenItsCommitAndItsIntentClear_IsNotSkipped()
    {
        string name = TestRing.UniqueName("killed-committed");
        using var consumer = RingConsumer.Create(name, Options);
        using var producer = RingProducer.Attach(name, Options);
        Assert.True(producer.TryClaim(Payload, out RingClaim claim));
        using var gate = new StepGate(RingStep.ConsumerScanStarting);
        Task<Received> reading = ReadOne(consumer, gate);
        gate.WaitUntilHeld();

        // Killed right after its tag store: its intent stays, its owner is dead, its claim is proven installed.
        bool killed = false;
        RingStepHooks.Current = new KillAt(RingStep.ProducerCommitted, producer);
        try
        {
            claim.Destination[..Payload].Fill(9);
            claim.Commit(Payload, recordType: 1);
        }
        catch (ProducerKilledException)
        {
            killed = true;
        }
        finally
        {
            RingStepHooks.Current = null;
        }

        Assert.True(killed, "the producer never reached its commit step");

        gate.Release();
        Received received = Await(reading);
        Assert.Equal(RingReadStatus.Record, received.Status);
        Assert.Equal(Enumerable.Repeat((byte)9, Payload), received.Payload);
        Assert.Equal(0, received.Skipped);
    }

    [Fact]
    public void AKilledClaimant_IsSkippedToItsOwnEnd_NotToAnUninstalledIntentBeforeIt()
    {
        string name = TestRing.UniqueName("killed-claim");
        using var consumer = RingConsumer.Create(name, Options);
        using var view = new SegmentView(name, Options);

        // Slot 0: a producer killed between its intent and its CAS, announcing [0, 64); the next producer takes slot 1.
        view.PlantIntent(0, DeadOwner.Word, replaced: 0, end: 64 | 1);
        using var killed = RingProducer.Attach(name, Options);
        Assert.True(killed.TryClaim(Payload, out _));
        DeadOwner.Kill(killed);
        using var survivor = RingProducer.Attach(name, Options);
        Assert.True(survivor.TryWrite(new byte[] { 1, 2, 3 }, recordType: 2));

        Received received = Await(ReadOne(consumer, gate: null));
        Assert.Equal(RingReadStatus.Record, received.Status);
        Assert.Equal(new byte[] { 1, 2, 3 }, received.Payload);
        Assert.Equal(1, received.Skipped);
        Assert.Equal(RingLayout.RecordLength(Payload), received.SkippedTo);
    }

    private static Task<Received> ReadOne(RingConsumer consumer, StepGate? gate)
        => Task.Factory.StartNew(
            () =>
            {
                var skips = new SkipRecorder(gate);
                RingStepHooks.Current = skips;
                try
                {
                    RingReadStatus status = consumer.Read(out RingRecord record, ReadTimeout);
                    byte[] payload = status == RingReadStatus.Record ? record.Payload.ToArray() : [];
                    return new Received(status, payload, consumer.Counters.SkippedRecords, skips.LastTarget);
                }
                finally
                {
                    RingStepHooks.Current = null;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private static Received Await(Task<Received> reading)
    {
        Assert.True(reading.Wait(ReadTimeout * 2), "the consumer hung");
        return reading.Result;
    }

    private sealed record Received(RingReadStatus Status, byte[] Payload, long Skipped, long SkippedTo);

    /// <summary>Passes steps on to a gate (if any) and remembers where the consumer skipped to.</summary>
    private sealed class SkipRecorder(StepGate? gate) : IRingStepHook
    {
        public long LastTarget { get; private set; } = -1;

        public void At(RingStep step, long position)
        {
            if (step == RingStep.ConsumerSkipping)
            {
                LastTarget = position;
            }

            gate?.At(step, position);
        }
    }

    /// <summary>Plays a kill -9 of <paramref name="producer"/> at <paramref name="step"/>: its owner turns dead, it stops there.</summary>
    private sealed class KillAt(RingStep step, RingProducer producer) : IRingStepHook
    {
        public void At(RingStep reached, long position)
        {
            if (reached == step)
            {
                DeadOwner.Kill(producer);
                throw new ProducerKilledException();
            }
        }
    }

    private sealed class ProducerKilledException : Exception;
}
