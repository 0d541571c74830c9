using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using ShmIpc.ShmRing;

namespace ShmIpc.Benchmarks.Ring;

/// <summary>
/// Cross-process ring benchmark. This process is the producer (pinned to CPU 0); it starts itself again as the
/// consumer (pinned to CPU 1), which busy-spins and reads every payload byte in place. One clock: Stopwatch
/// (CLOCK_MONOTONIC ns). Latency is reported twice: from the intended send time of the open-loop schedule (p50_ns: a
/// stalled producer is charged, not hidden) and from the stamp taken just before the payload is written
/// (stamp_p50_ns: the C tool's definition, used for the ratio to it). With --c-reference, runs the C ring of
/// shared/tools/limits alternately.
/// </summary>
internal static class RingBenchmark
{
    public static int Run(string[] args)
    {
        if (args[0] == RingBenchmarkConsumer.Command)
        {
            return RingBenchmarkConsumer.Run(args);
        }

        RingBenchmarkOptions options;
        try
        {
            options = RingBenchmarkOptions.Parse(args);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine($"{args[0]}: {exception.Message}");
            Console.Error.WriteLine(RingBenchmarkOptions.Usage);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(RingBenchmarkOptions.Usage);
            return 0;
        }

        bool latency = options.Mode == "ring-latency";
        bool broadcast = options.Ring == RingKind.Broadcast;
        RingBenchmarkOptions spsc = options with { Ring = RingKind.SingleProducer, Consumers = 1 };
        var ours = new List<double>();
        var reference = new List<double>();
        var pairRatios = new List<double>();
        var versusSpsc = new List<RunResult>();
        for (int run = 0; run < options.Runs; run++)
        {
            Unpin();
            double referenceFigure = 0;
            double referencePlacement = 0;
            if (options.CReference is not null)
            {
                referencePlacement = latency ? PlacementProbe.OneWayNanoseconds(options.CReference) : 0;
                CReferenceRun result = CReferenceRun.Execute(options.CReference, options, latency);
                Console.WriteLine(latency ? string.Create(CultureInfo.InvariantCulture, $"c      {result.Line} placement_one_way_ns={referencePlacement:F0}") : $"c      {result.Line}");
                reference.Add(referenceFigure = result.Figure);
            }

            // Broadcast: the SPSC ring with the same wait right before, so each pair shares the host's mode.
            RunResult? spscResult = null;
            if (broadcast)
            {
                Unpin();
                spscResult = RunOnce(spsc, latency, run);
                Console.WriteLine($"dotnet {spscResult.Line}");
            }

            Unpin();
            double placement = latency && options.CReference is not null ? PlacementProbe.OneWayNanoseconds(options.CReference) : 0;
            RunResult ourResult = RunOnce(options, latency, run);
            Console.WriteLine(placement > 0 ? string.Create(CultureInfo.InvariantCulture, $"dotnet {ourResult.Line} placement_one_way_ns={placement:F0}") : $"dotnet {ourResult.Line}");
            ours.Add(ourResult.Figure);
            if (options.CReference is not null)
            {
                pairRatios.Add(ourResult.Figure / referenceFigure);
            }

            if (spscResult is not null)
            {
                versusSpsc.Add(new RunResult(
                    string.Empty, ourResult.Figure / spscResult.Figure, ourResult.StampP99 / spscResult.StampP99, ourResult.ProducerCostP50 / spscResult.ProducerCostP50, ourResult.ProducerCostP99 / spscResult.ProducerCostP99));
            }
        }

        string unit = latency ? "p50_ns" : "MB/s";
        string summary = string.Create(CultureInfo.InvariantCulture, $"median of {options.Runs}: dotnet {(latency ? "stamp_p50_ns" : unit)}={Median(ours):F0}");
        if (reference.Count > 0)
        {
            summary += string.Create(CultureInfo.InvariantCulture, $" c {unit}={Median(reference):F0} ratio dotnet/c={Median(ours) / Median(reference):F2}");
        }

        Console.WriteLine(summary);
        if (pairRatios.Count > 0)
        {
            // Each C run with the .NET run right after it: the host's modes (PlacementProbe) change over seconds, so
            // the median of these pairs is less exposed to a flip than the ratio of the two medians.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pair ratios dotnet/c: {string.Join(", ", pairRatios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}; median {Median(pairRatios):F2}"));
        }

        if (versusSpsc.Count > 0)
        {
            Console.WriteLine($"pair ratios broadcast/spsc (worst consumer): stamp_p50 {Ratios(versusSpsc, r => r.Figure)}");
            Console.WriteLine($"                                            stamp_p99 {Ratios(versusSpsc, r => r.StampP99)}");
            Console.WriteLine($"                              producer cost per message p50 {Ratios(versusSpsc, r => r.ProducerCostP50)}");
            Console.WriteLine($"                              producer cost per message p99 {Ratios(versusSpsc, r => r.ProducerCostP99)}");
        }

        return 0;
    }

    /// <summary>One run's output line and figures: stamp p50 of the worst consumer (latency) or MB/s (throughput).</summary>
    private sealed record RunResult(string Line, double Figure, double StampP99, double ProducerCostP50, double ProducerCostP99);

    private static string Ratios(List<RunResult> pairs, Func<RunResult, double> figure) =>
        string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", pairs.Select(p => figure(p).ToString("F2", CultureInfo.InvariantCulture)))}; median {Median(pairs.Select(figure).ToList()):F2}");

    public static RingOptions RingOptionsFor(RingBenchmarkOptions options) => new()
    {
        Kind = options.Ring,
        SlowConsumer = options.Policy,
        Capacity = 4 * 1024 * 1024, // as the C ring
        MaxRecordSize = options.Size,
        WaitStrategy = options.Wait,
        PeerCheckInterval = TimeSpan.FromSeconds(1),
    };

    /// <summary>
    /// Pins the calling (main) thread to one CPU, as the C tool pins producer and consumer. On Linux the setter is
    /// sched_setaffinity(pid), which moves only the thread whose id is the pid: the main thread. The runtime's other
    /// threads (tiered JIT, GC) keep their mask, and a child process inherits the mask of the thread that starts it:
    /// see <see cref="Unpin"/>.
    /// </summary>
    public static void PinToCpu(int cpu)
    {
        if (OperatingSystem.IsLinux() && Environment.ProcessorCount > cpu)
        {
            Process.GetCurrentProcess().ProcessorAffinity = 1 << cpu;
        }
    }

    /// <summary>
    /// Lets the main thread run anywhere again. Called before starting a child process: a consumer started from a
    /// thread pinned to CPU 0 would have its JIT and GC threads stuck on the producer's busy CPU 0, and would run
    /// unoptimized code for seconds.
    /// </summary>
    public static void Unpin()
    {
        if (OperatingSystem.IsLinux())
        {
            Process.GetCurrentProcess().ProcessorAffinity = (nint)((1L << Math.Min(Environment.ProcessorCount, 62)) - 1);
        }
    }

    private static RunResult RunOnce(RingBenchmarkOptions options, bool latency, int run)
    {
        string ring = $"bench-{Environment.ProcessId}-{run}";
        using var producer = RingProducer.Create(ring, RingOptionsFor(options));
        long expected = latency ? RingBenchmarkOptions.WarmupMessages + options.LatencySamples : 0;
        var consumers = new List<Process>();
        try
        {
            for (int i = 0; i < options.Consumers; i++)
            {
                Process consumer = StartConsumer(options, ring, expected);
                consumers.Add(consumer);
                string? ready = consumer.StandardOutput.ReadLine();
                if (ready != "ready")
                {
                    throw new InvalidOperationException($"consumer {i} did not start: {ready} {consumer.StandardError.ReadToEnd()}");
                }
            }

            PinToCpu(0);
            ArraySegment<byte> source = AlignedSource(options.Size);
            new Random(1).NextBytes(source);
            long[] costs = new long[latency ? options.LatencySamples : 0];
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long messages = latency ? ProduceOpenLoop(producer, source, options, costs) : ProduceFlatOut(producer, source, options);
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            Claim(producer, 0).Commit(0, RingMessage.EndType);
            var results = new List<string>();
            foreach (Process consumer in consumers)
            {
                results.Add(consumer.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"consumer failed: {consumer.StandardError.ReadToEnd()}"));
                consumer.WaitForExit();
            }

            string producerFigures = string.Create(CultureInfo.InvariantCulture, $"producer_alloc_bytes_per_msg={allocated / (double)messages:F3}");
            if (!latency)
            {
                return new RunResult($"{options.Mode} size={options.Size} {results[0]} {producerFigures}", Figure(results[0], "MB/s"), 0, 0, 0);
            }

            LatencySummary cost = ProducerCost(costs);
            producerFigures = string.Create(CultureInfo.InvariantCulture, $"producer_cost_p50_ns={cost.P50} producer_cost_p99_ns={cost.P99} {producerFigures}");
            string worst = results.MaxBy(r => Figure(r, "stamp_p50_ns"))!;
            string line = $"{options.Mode} size={options.Size} {options.Describe()} {worst} {producerFigures}";
            if (results.Count > 1)
            {
                // The line above is the consumer with the highest stamp p50; every consumer's follows.
                line = "worst consumer: " + line + string.Concat(results.Select((r, i) => $"\n         consumer {i}: {r}"));
            }

            return new RunResult(line, Figure(worst, "stamp_p50_ns"), results.Max(r => Figure(r, "stamp_p99_ns")), cost.P50, cost.P99);
        }
        finally
        {
            foreach (Process consumer in consumers)
            {
                if (!consumer.HasExited)
                {
                    consumer.Kill();
                }

                consumer.Dispose();
            }
        }
    }

    private static double Figure(string line, string name) => double.Parse(Field(line, name), CultureInfo.InvariantCulture);

    /// <summary>The producer's time per measured message, from its stamp before the claim to after the commit, in ns.</summary>
    private static LatencySummary ProducerCost(long[] costs)
    {
        double nanosecondsPerTick = 1e9 / Stopwatch.Frequency;
        for (int i = 0; i < costs.Length; i++)
        {
            costs[i] = (long)(costs[i] * nanosecondsPerTick);
        }

        return LatencySummary.FromSamples(costs, costs.Length);
    }

    /// <summary>Open loop: message i is due at start + i·period whatever happened before; it carries that due time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long ProduceOpenLoop(RingProducer producer, ArraySegment<byte> source, RingBenchmarkOptions options, long[] costs)
    {
        long total = RingBenchmarkOptions.WarmupMessages + options.LatencySamples;
        long period = Stopwatch.Frequency / options.Rate;
        long due = Stopwatch.GetTimestamp();
        for (long sequence = 0; sequence < total; sequence++)
        {
            due += period;
            if (options.Pretouch)
            {
                // Halfway: by then the consumer has read the last record (its reads, and its core's prefetcher,
                // reach past that record's end into the lines the next one takes).
                while (Stopwatch.GetTimestamp() < due - (period / 2))
                {
                }

                producer.Pretouch(source.Count);
            }

            while (Stopwatch.GetTimestamp() < due)
            {
            }

            // Stamped here, before the payload is written, where the C tool stamps.
            long sent = Stopwatch.GetTimestamp();
            RingClaim claim = Claim(producer, source.Count);

            // The "encode": every byte written into the ring, as the C tool copies its message in.
            source.AsSpan().CopyTo(claim.Destination);
            RingMessage.Stamp(claim.Destination, sequence, due, sent);
            claim.Commit(source.Count);

            // After the commit, so the record is published before this stamp (it adds nothing to the latency).
            long done = Stopwatch.GetTimestamp();
            if (sequence >= RingBenchmarkOptions.WarmupMessages)
            {
                costs[sequence - RingBenchmarkOptions.WarmupMessages] = done - sent;
            }
        }

        return total;
    }

    /// <summary>
    /// The producer's source bytes, starting on a 64-byte boundary like every ring payload: glibc's
    /// rep-movsb copy runs measurably slower when source and destination differ by 8, 16 or 24 mod 64
    /// (docs/benchmarks.md, the machine's floor), and a plain byte[]'s data sits at no particular alignment.
    /// </summary>
    private static ArraySegment<byte> AlignedSource(int size)
    {
        const int Alignment = 64;
        byte[] array = GC.AllocateArray<byte>(size + Alignment, pinned: true);
        System.Runtime.InteropServices.GCHandle handle = System.Runtime.InteropServices.GCHandle.Alloc(array, System.Runtime.InteropServices.GCHandleType.Pinned);
        long address = handle.AddrOfPinnedObject();
        handle.Free(); // the array stays pinned: it lives on the pinned object heap
        int offset = (int)((Alignment - (address % Alignment)) % Alignment);
        return new ArraySegment<byte>(array, offset, size);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long ProduceFlatOut(RingProducer producer, ArraySegment<byte> source, RingBenchmarkOptions options)
    {
        long end = Stopwatch.GetTimestamp() + (long)(options.Seconds * Stopwatch.Frequency) + RingBenchmarkOptions.ThroughputWarmupTicks;
        long sequence = 0;
        for (; ; sequence++)
        {
            RingClaim claim = Claim(producer, source.Count);
            source.AsSpan().CopyTo(claim.Destination);
            RingMessage.Stamp(claim.Destination, sequence, 0, 0);
            claim.Commit(source.Count);
            if ((sequence & 255) == 255 && Stopwatch.GetTimestamp() > end)
            {
                return sequence + 1;
            }
        }
    }

    /// <summary>Busy-spins for space (the ring's own BusySpin wait); a consumer that died or hangs ends the run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static RingClaim Claim(RingProducer producer, int length)
    {
        RingWriteStatus status = producer.Claim(length, TimeSpan.FromSeconds(10), out RingClaim claim);
        return status == RingWriteStatus.Success ? claim : throw new InvalidOperationException($"consumer process: {status}");
    }

    private static Process StartConsumer(RingBenchmarkOptions options, string ring, long expected)
    {
        string self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(RingBenchmark).Assembly.Location);
        }

        foreach (string argument in (string[])[RingBenchmarkConsumer.Command, ring, expected.ToString(CultureInfo.InvariantCulture), .. options.RingArguments()])
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("cannot start the consumer process");
    }

    internal static string Field(string line, string name)
    {
        foreach (string part in line.Split(' '))
        {
            if (part.StartsWith(name + "=", StringComparison.Ordinal))
            {
                return part[(name.Length + 1)..];
            }
        }

        throw new FormatException($"no {name}= in '{line}'");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
