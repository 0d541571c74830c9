using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using ShmIpc.ShmRing.Tests.Support;
using Xunit.Abstractions;

namespace ShmIpc.ShmRing.Tests;

/// <summary>
/// Randomized interleavings in the spirit of jcstress, seeded and bounded: MPSC producers that pause at random protocol
/// steps, detach when done, and one per round "killed" at a random step (after its intent, after its claim, after its
/// commit); a consumer that checks its peers every microsecond and pauses at random inside its skip decision. Every
/// committed record must arrive once and intact, and every skip must land where a claimed record starts (the consumer
/// never stands where no record starts).
/// </summary>
public sealed class MultiProducerClaimsStressTests(ITestOutputHelper output)
{
    private const int Producers = 3;
    private const int RecordsPerProducer = 40;
    private const int HeaderBytes = 8; // producer id, sequence number
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    // CI: 30 rounds (a few seconds); ./run-linux.sh soak sets more.
    private static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("SHMIPC_RING_STRESS_ROUNDS"), CultureInfo.InvariantCulture, out int rounds) ? rounds : 30;
    private static readonly RingStep[] DeathSteps = [RingStep.ProducerIntentStored, RingStep.ProducerClaimed, RingStep.ProducerCommitted];

    [Fact]
    public void RandomPausesDetachesAndDeaths_LoseNothingCommitted_AndSkipOnlyToRecordStarts()
    {
        var totals = new Totals();
        for (int round = 0; round < Rounds; round++)
        {
            RunRound(seed: 11_000 + round, totals);
        }

        output.WriteLine($"rounds {Rounds}: records {totals.Received}, deaths {totals.Deaths}, skips {totals.Skips} (expected {totals.ExpectedSkips}), lost {totals.Lost}, duplicated {totals.Duplicated}, torn {totals.Torn}, misplaced skips {totals.MisplacedSkips}, hangs {totals.Hangs}");
        Assert.Equal(0, totals.Lost);
        Assert.Equal(0, totals.Duplicated);
        Assert.Equal(0, totals.Torn);
        Assert.Equal(0, totals.MisplacedSkips);
        Assert.Equal(0, totals.Hangs);
        Assert.Equal(totals.ExpectedSkips, totals.Skips);
        Assert.Equal(Rounds, totals.Deaths);
    }

    private static void RunRound(int seed, Totals totals)
    {
        var random = new Random(seed);
        RingOptions options = TestRing.Small(RingKind.MultiProducer) with
        {
            Capacity = 4096,
            MaxRecordSize = 512,
            PeerCheckInterval = TimeSpan.FromMicroseconds(1),
        };
        string name = TestRing.UniqueName("mpsc-stress");
        using var consumer = RingConsumer.Create(name, options);

        // All attach before any writes: the consumer must not see every producer gone before the last one came.
        var producers = new RingProducer[Producers];
        for (int p = 0; p < Producers; p++)
        {
            producers[p] = RingProducer.Attach(name, options);
        }

        int victim = random.Next(Producers);
        RingStep deathStep = DeathSteps[random.Next(DeathSteps.Length)];
        int deathAt = random.Next(RecordsPerProducer);
        var claimEnds = new ConcurrentDictionary<long, bool>();
        long[] lastCommitted = Enumerable.Repeat(-1L, Producers).ToArray();
        var threads = new Thread[Producers];
        for (int p = 0; p < Producers; p++)
        {
            var hook = new ProducerHook(producers[p], new Random(seed * 31 + p), claimEnds, p == victim ? deathStep : null, deathAt);
            int id = p;
            threads[p] = new Thread(() => Produce(id, producers[id], hook, lastCommitted)) { IsBackground = true };
            threads[p].Start();
        }

        var consumerHook = new ConsumerHook(new Random(seed * 17));
        long[] next = new long[Producers];
        RingStepHooks.Current = consumerHook;
        try
        {
            Consume(consumer, next, totals);
        }
        finally
        {
            RingStepHooks.Current = null;
        }

        foreach (Thread thread in threads)
        {
            if (!thread.Join(Patience))
            {
                totals.Hangs++;
            }
        }

        for (int p = 0; p < Producers; p++)
        {
            totals.Lost += Math.Max(0, lastCommitted[p] + 1 - next[p]);
            producers[p].Dispose();
        }

        totals.Deaths++;
        totals.ExpectedSkips += deathStep == RingStep.ProducerClaimed ? 1 : 0;
        totals.Skips += consumer.Counters.SkippedRecords;
        totals.MisplacedSkips += consumerHook.SkipTargets.Count(target => !claimEnds.ContainsKey(target));
    }

    private static void Produce(int id, RingProducer producer, ProducerHook hook, long[] lastCommitted)
    {
        RingStepHooks.Current = hook;
        try
        {
            for (int sequence = 0; sequence < RecordsPerProducer; sequence++)
            {
                int length = HeaderBytes + hook.Random.Next(0, 400);
                hook.Sequence = sequence;
                hook.Footprint = RingLayout.RecordLength(length);
                if (producer.Claim(length, Patience, out RingClaim claim) != RingWriteStatus.Success)
                {
                    return; // the consumer counts what is missing
                }

                Fill(claim.Destination[..length], id, sequence);
                claim.Commit(length, recordType: id);
                Volatile.Write(ref lastCommitted[id], sequence);
            }

            producer.Dispose(); // detached cleanly, right after its last commit
        }
        catch (ProducerKilledException exception)
        {
            if (exception.AfterCommit)
            {
                Volatile.Write(ref lastCommitted[id], hook.Sequence);
            }
        }
        finally
        {
            RingStepHooks.Current = null;
        }
    }

    private static void Consume(RingConsumer consumer, long[] next, Totals totals)
    {
        while (true)
        {
            RingReadStatus status = consumer.Read(out RingRecord record, Patience);
            if (status == RingReadStatus.PeerGone)
            {
                return;
            }

            if (status == RingReadStatus.TimedOut)
            {
                totals.Hangs++;
                return;
            }

            ReadOnlySpan<byte> payload = record.Payload;
            int id = BinaryPrimitives.ReadInt32LittleEndian(payload);
            int sequence = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
            if (id != record.Type || (uint)id >= Producers || !IsIntact(payload, id, sequence))
            {
                totals.Torn++;
            }
            else if (sequence < next[id])
            {
                totals.Duplicated++;
            }
            else
            {
                totals.Lost += sequence - next[id];
                next[id] = sequence + 1;
            }

            totals.Received++;
            consumer.Release();
        }
    }

    private static void Fill(Span<byte> payload, int id, int sequence)
    {
        BinaryPrimitives.WriteInt32LittleEndian(payload, id);
        BinaryPrimitives.WriteInt32LittleEndian(payload[4..], sequence);
        for (int i = HeaderBytes; i < payload.Length; i++)
        {
            payload[i] = PatternByte(id, sequence, i);
        }
    }

    private static bool IsIntact(ReadOnlySpan<byte> payload, int id, int sequence)
    {
        for (int i = HeaderBytes; i < payload.Length; i++)
        {
            if (payload[i] != PatternByte(id, sequence, i))
            {
                return false;
            }
        }

        return true;
    }

    private static byte PatternByte(int id, int sequence, int index) => (byte)((id * 31) + (sequence * 7) + index);

    /// <summary>Pauses a producer at random steps, notes where each claim ends, and plays its death at one step.</summary>
    private sealed class ProducerHook(RingProducer producer, Random random, ConcurrentDictionary<long, bool> claimEnds, RingStep? deathStep, int deathAt)
        : IRingStepHook
    {
        public Random Random { get; } = random;

        public int Sequence { get; set; }

        public int Footprint { get; set; }

        public void At(RingStep step, long position)
        {
            if (step == RingStep.ProducerClaimed)
            {
                claimEnds[position + Footprint] = true;
            }

            Pause(Random);
            if (step == deathStep && Sequence == deathAt)
            {
                DeadOwner.Kill(producer);
                throw new ProducerKilledException(step == RingStep.ProducerCommitted);
            }
        }
    }

    /// <summary>Pauses the consumer at random inside its skip decision and notes every skip target.</summary>
    private sealed class ConsumerHook(Random random) : IRingStepHook
    {
        public List<long> SkipTargets { get; } = [];

        public void At(RingStep step, long position)
        {
            if (step == RingStep.ConsumerSkipping)
            {
                SkipTargets.Add(position);
            }

            Pause(random);
        }
    }

    private static void Pause(Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                Thread.Yield();
                break;
            case 1:
                Thread.SpinWait(random.Next(1, 2000));
                break;
            default:
                break;
        }
    }

    private sealed class ProducerKilledException(bool afterCommit) : Exception
    {
        public bool AfterCommit { get; } = afterCommit;
    }

    private sealed class Totals
    {
        public long Received { get; set; }

        public long Deaths { get; set; }

        public long Skips { get; set; }

        public long ExpectedSkips { get; set; }

        public long Lost { get; set; }

        public long Duplicated { get; set; }

        public long Torn { get; set; }

        public long MisplacedSkips { get; set; }

        public long Hangs { get; set; }
    }
}
