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
        var ours = new List<double>();
        var reference = new List<double>();
        var pairRatios = new List<double>();
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

            Unpin();
            double placement = latency && options.CReference is not null ? PlacementProbe.OneWayNanoseconds(options.CReference) : 0;
            string line = RunOnce(options, latency, run, out double figure);
            Console.WriteLine(placement > 0 ? string.Create(CultureInfo.InvariantCulture, $"dotnet {line} placement_one_way_ns={placement:F0}") : $"dotnet {line}");
            ours.Add(figure);
            if (options.CReference is not null)
            {
                pairRatios.Add(figure / referenceFigure);
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

        return 0;
    }

    public static RingOptions RingOptionsFor(int size) => new()
    {
        Kind = RingKind.SingleProducer,
        Capacity = 4 * 1024 * 1024, // as the C ring
        MaxRecordSize = size,
        WaitStrategy = RingWaitStrategy.BusySpin,
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

    private static string RunOnce(RingBenchmarkOptions options, bool latency, int run, out double figure)
    {
        string ring = $"bench-{Environment.ProcessId}-{run}";
        RingOptions ringOptions = RingOptionsFor(options.Size);
        using var producer = RingProducer.Create(ring, ringOptions);
        long expected = latency ? RingBenchmarkOptions.WarmupMessages + options.LatencySamples : 0;
        using Process consumer = StartConsumer(latency ? "latency" : "throughput", ring, options.Size, expected);
        string? ready = consumer.StandardOutput.ReadLine();
        if (ready != "ready")
        {
            throw new InvalidOperationException($"consumer did not start: {ready} {consumer.StandardError.ReadToEnd()}");
        }

        PinToCpu(0);
        ArraySegment<byte> source = AlignedSource(options.Size);
        new Random(1).NextBytes(source);
        long messages;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        messages = latency ? ProduceOpenLoop(producer, source, options) : ProduceFlatOut(producer, source, options);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Claim(producer, 0).Commit(0, RingMessage.EndType);
        string result = consumer.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"consumer failed: {consumer.StandardError.ReadToEnd()}");
        consumer.WaitForExit();
        figure = double.Parse(Field(result, latency ? "stamp_p50_ns" : "MB/s"), CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{options.Mode} size={options.Size} {result} producer_alloc_bytes_per_msg={allocated / (double)messages:F3}");
    }

    /// <summary>Open loop: message i is due at start + i·period whatever happened before; it carries that due time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long ProduceOpenLoop(RingProducer producer, ArraySegment<byte> source, RingBenchmarkOptions options)
    {
        long total = RingBenchmarkOptions.WarmupMessages + options.LatencySamples;
        long period = Stopwatch.Frequency / options.Rate;
        long due = Stopwatch.GetTimestamp();
        for (long sequence = 0; sequence < total; sequence++)
        {
            due += period;
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

    private static Process StartConsumer(string mode, string ring, int size, long expected)
    {
        string self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(RingBenchmark).Assembly.Location);
        }

        foreach (string argument in new[] { RingBenchmarkConsumer.Command, mode, ring, size.ToString(CultureInfo.InvariantCulture), expected.ToString(CultureInfo.InvariantCulture) })
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

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
