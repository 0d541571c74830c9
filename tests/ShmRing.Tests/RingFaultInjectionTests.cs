using System.Globalization;
using ShmIpc.ShmRing.TestPeer;
using ShmIpc.ShmRing.Tests.Support;
using Xunit.Abstractions;

namespace ShmIpc.ShmRing.Tests;

/// <summary>
/// Faults injected into real producer processes at named protocol steps (the TestPeer's stop-at): kill -9 after the
/// MPSC intent, after the claim, after the commit (SPSC: between the commit and the position store), kill -9 of the
/// consumer, and SIGSTOP for ten peer-check intervals mid-claim. Seeded and bounded: SHMIPC_RING_FAULTS faults per test (CI: the default below;
/// ./run-linux.sh soak: many). Figures and commands in docs/reliability.md, "Ring".
/// </summary>
public sealed class RingFaultInjectionTests(ITestOutputHelper output)
{
    private const int SurvivorRecords = 400;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly int Faults = int.TryParse(Environment.GetEnvironmentVariable("SHMIPC_RING_FAULTS"), CultureInfo.InvariantCulture, out int faults) ? faults : 6;

    [Fact]
    public void KillMinus9_AnMpscProducerAfterItsIntentClaimOrCommit_LosesNoCommittedRecord()
    {
        RingStep[] steps = [RingStep.ProducerIntentStored, RingStep.ProducerClaimed, RingStep.ProducerCommitted];
        var random = new Random(1101);
        var tally = new RecordTally();
        for (int fault = 0; fault < Faults; fault++)
        {
            RingStep step = steps[fault % steps.Length];
            int occurrence = random.Next(1, 300);
            string name = TestRing.UniqueName("fault-mpsc");
            RingOptions options = TestRing.Small(RingKind.MultiProducer);
            using var consumer = RingConsumer.Create(name, options);
            using var victim = PeerProcess.Start(PeerProcess.Ring("produce", name, options, 1, -1, fault, "stop-at", step, occurrence));
            using var survivor = PeerProcess.Start(PeerProcess.Ring("produce", name, options, 2, SurvivorRecords, fault));
            Task<long> mustArrive = KillWhenStopped(victim);

            long[] received = RecordStreamCheck.ReadUntilPeerGone(consumer, options, producers: 2, fault, Patience, tally);

            tally.Count(expected: Await(mustArrive), received: received[1]);
            tally.Count(expected: SurvivorRecords, received: received[2]);
            tally.ExpectSkips(step == RingStep.ProducerClaimed ? 1 : 0, consumer.Counters.SkippedRecords);
            Assert.Equal(0, survivor.WaitForExit(Patience));
            tally.Faults++;
        }

        output.WriteLine($"MPSC kill -9: {tally}");
        tally.AssertClean(Faults);
    }

    [Fact]
    public void KillMinus9_AnSpscProducerAfterItsClaimOrBetweenCommitAndPositionStore_ItsSuccessorLosesNothing()
    {
        RingStep[] steps = [RingStep.ProducerClaimed, RingStep.ProducerCommitted];
        var random = new Random(1102);
        var tally = new RecordTally();
        for (int fault = 0; fault < Faults; fault++)
        {
            RingStep step = steps[fault % steps.Length];
            int occurrence = random.Next(1, 300);
            string name = TestRing.UniqueName("fault-spsc");
            RingOptions options = TestRing.Small();
            using var consumer = RingConsumer.Create(name, options);
            long[] received;
            long mustArrive;
            using (var victim = PeerProcess.Start(PeerProcess.Ring("produce", name, options, 1, -1, fault, "stop-at", step, occurrence)))
            {
                Task<long> stopped = KillWhenStopped(victim);
                received = RecordStreamCheck.ReadUntilPeerGone(consumer, options, producers: 2, fault, Patience, tally);
                mustArrive = Await(stopped);
            }

            // The successor recovers the position (skipping a record committed without its position store) and goes on.
            using var successor = PeerProcess.Start(PeerProcess.Ring("produce", name, options, 2, SurvivorRecords, fault));
            long[] more = RecordStreamCheck.ReadUntilPeerGone(consumer, options, producers: 2, fault, Patience, tally);
            Assert.Equal(0, successor.WaitForExit(Patience));

            tally.Count(expected: mustArrive, received: received[1] + more[1]);
            tally.Count(expected: SurvivorRecords, received: more[2]);
            tally.Faults++;
        }

        output.WriteLine($"SPSC kill -9: {tally}");
        tally.AssertClean(Faults);
    }

    [Theory]
    [InlineData(RingKind.SingleProducer)]
    [InlineData(RingKind.MultiProducer)]
    public void SigStop_AProducerMidClaimForTenPeerChecks_IsWaitedForNeverSkipped(RingKind kind)
    {
        string name = TestRing.UniqueName("fault-sigstop");
        RingOptions options = TestRing.Small(kind);
        var tally = new RecordTally();
        using var consumer = RingConsumer.Create(name, options);
        using var producer = PeerProcess.Start(PeerProcess.Ring("produce", name, options, 1, SurvivorRecords, 3, "stop-at", RingStep.ProducerClaimed, 100, "resume"));
        Task<long[]> reading = Task.Factory.StartNew(
            () => RecordStreamCheck.ReadUntilPeerGone(consumer, options, producers: 2, 3, Patience, tally), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        Assert.Equal("stopped 99", producer.NextLine(Patience));
        producer.Signal("STOP");
        Thread.Sleep(options.PeerCheckInterval * 10);
        producer.Signal("CONT");
        producer.SendLine("go");

        tally.Count(expected: SurvivorRecords, received: Await(reading)[1]);
        tally.ExpectSkips(0, consumer.Counters.SkippedRecords);
        Assert.Equal(0, producer.WaitForExit(Patience));
        tally.Faults++;
        output.WriteLine($"{kind} SIGSTOP: {tally}");
        tally.AssertClean(1);
    }

    [Fact]
    public void KillMinus9_TheConsumer_ASuccessorTakesTheRoleAndGetsAnIntactTail_TheProducerGoesOn()
    {
        var random = new Random(1103);
        var tally = new RecordTally();
        for (int fault = 0; fault < Faults; fault++)
        {
            // Room for every record (1 MB ring, 3,000 records of at most 256 bytes): the producer never waits, so it
            // never sees the dead consumer; what is checked is the hand-over.
            string name = TestRing.UniqueName("fault-consumer");
            RingOptions options = TestRing.Small() with { Capacity = 1024 * 1024, MaxRecordSize = 256 };
            const int Records = 3000;
            using (var doomed = PeerProcess.Start(PeerProcess.Ring("create-and-read", name, options)))
            {
                using var producer = PeerProcess.Start(PeerProcess.Ring("produce", name, options, 1, Records, fault));
                Thread.Sleep(random.Next(0, 30));
                doomed.KillHard();

                using (var successor = RingConsumer.Attach(name, options))
                {
                    var pattern = new RecordPattern(1, fault, options.MaxRecordSize);
                    long first = -1;
                    while (true)
                    {
                        RingReadStatus status = successor.Read(out RingRecord record, Patience);
                        if (status != RingReadStatus.Record)
                        {
                            tally.Hangs += status == RingReadStatus.TimedOut ? 1 : 0;
                            break;
                        }

                        int sequenceBits = RecordPattern.SequenceBitsOf(record.Type);
                        if (first < 0)
                        {
                            // Where the dead consumer's last release left the position: the tail starts there.
                            first = sequenceBits;
                            while ((int)(pattern.Next & 0xFF_FFFF) < sequenceBits)
                            {
                                _ = pattern.TakeNext(out _);
                            }
                        }

                        if (sequenceBits != (int)(pattern.Next & 0xFF_FFFF))
                        {
                            tally.Lost++;
                        }

                        tally.Torn += record.Payload.SequenceEqual(pattern.TakeNext(out _)) ? 0 : 1;
                        tally.Records++;
                        successor.Release();
                    }

                    // Nothing left to read: the dead consumer had read and released every record.
                    tally.Count(expected: Records, received: first < 0 ? Records : pattern.Next);
                }

                Assert.Equal(0, producer.WaitForExit(Patience));
            }

            // The creator was killed: its file stays until a cleanup proves every role holder gone.
            Assert.Equal(RingFileRemoval.Removed, RingFiles.RemoveIfAbandoned(name));
            tally.Faults++;
        }

        output.WriteLine($"consumer kill -9: {tally}");
        tally.AssertClean(Faults);
    }

    private static T Await<T>(Task<T> task)
    {
        Assert.True(task.Wait(Patience), "a party hung");
        return task.Result;
    }

    /// <summary>Kills the peer with SIGKILL as soon as it reports its stop; the result is how many of its records must arrive.</summary>
    private static Task<long> KillWhenStopped(PeerProcess victim)
        => Task.Run(() =>
        {
            string? line = victim.NextLine(Patience);
            victim.KillHard();
            Assert.True(line is not null && line.StartsWith("stopped ", StringComparison.Ordinal), $"victim printed '{line}'; stderr: {victim.Errors}");
            return long.Parse(line["stopped ".Length..], CultureInfo.InvariantCulture);
        });
}
