using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using Xunit.Abstractions;

namespace ShmIpc.Codecs.Tests;

/// <summary>
/// Property test of every decoder against bad input: random and mutated buffers (truncations, bit
/// flips, bytes and 32-bit words set to extremes, insertions, deletions, random bytes after a valid
/// prefix) must either decode or throw <see cref="SnapshotFormatException"/> — never another
/// exception, a crash or a large allocation. 100,000 buffers per decoder by default (CI);
/// SHMIPC_FUZZ_ITERATIONS=N runs N; SHMIPC_FUZZ_SEED=S changes the seed (printed on failure).
/// One in eight buffers goes through the <see cref="ReadOnlySequence{T}"/> overload, split at random.
/// </summary>
public sealed class FuzzTests
{
    private const int DefaultIterations = 100_000;

    // Generous bound: the largest legitimate allocation is Protobuf's per-instrument objects for a small buffer.
    private const long MaxAllocatedBytesPerDecode = 1 << 20;

    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public static TheoryData<string> CodecNames => [.. SnapshotCodecs.Names];

    [Theory]
    [MemberData(nameof(CodecNames))]
    public void RandomAndMutatedBuffers_DecodeOrThrowSnapshotFormatException(string name)
    {
        int iterations = int.TryParse(Environment.GetEnvironmentVariable("SHMIPC_FUZZ_ITERATIONS"), out int configured) && configured > 0
            ? configured
            : DefaultIterations;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("SHMIPC_FUZZ_SEED"), out int configuredSeed) ? configuredSeed : 20261127;

        ISnapshotCodec codec = SnapshotCodecs.Get(name);
        byte[][] corpus = BuildCorpus(codec);
        // Stable per codec (string.GetHashCode is randomised per process): a failure replays with the same seed.
        var random = new Random(seed + SnapshotCodecs.Names.ToList().IndexOf(name));
        byte[] scratch = new byte[4096];
        int accepted = 0;
        int rejected = 0;
        var stopwatch = Stopwatch.StartNew();

        for (int iteration = 0; iteration < iterations; iteration++)
        {
            int length = Mutate(random, corpus[random.Next(corpus.Length)], scratch);
            ReadOnlySpan<byte> input = scratch.AsSpan(0, length);
            bool asSequence = random.Next(8) == 0;
            int firstCut = random.Next(length + 1);
            int secondCut = random.Next(length + 1);
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                SnapshotDigest digest = asSequence
                    ? codec.ReadEveryField(SequenceSplitter.Split(input, firstCut, secondCut))
                    : codec.ReadEveryField(input);
                Assert.InRange(digest.InstrumentCount, 0, MarketSnapshot.MaxInstrumentCount);
                accepted++;
            }
            catch (SnapshotFormatException exception)
            {
                Assert.StartsWith(name + " snapshot: ", exception.Message, StringComparison.Ordinal);
                rejected++;
            }
            catch (Exception exception)
            {
                Assert.Fail($"{name}: iteration {iteration} (seed {seed}) threw {exception.GetType().Name}: {exception.Message}\n{Describe(input, asSequence, firstCut, secondCut)}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            if (allocated > MaxAllocatedBytesPerDecode)
            {
                Assert.Fail($"{name}: iteration {iteration} (seed {seed}) allocated {allocated} bytes for a {length}-byte input\n{Describe(input, asSequence, firstCut, secondCut)}");
            }
        }

        _output.WriteLine($"{name}: {iterations} buffers in {stopwatch.Elapsed.TotalSeconds:F1} s, {accepted} decoded, {rejected} rejected");
        Assert.True(rejected > iterations / 4, "the mutations should mostly produce invalid buffers");
        Assert.True(accepted > 0, "some mutations (and unmutated seeds) must decode");
    }

    private static string Describe(ReadOnlySpan<byte> input, bool asSequence, int firstCut, int secondCut) =>
        $"input ({(asSequence ? $"sequence cut at {firstCut} and {secondCut}" : "span")}): {Convert.ToHexString(input)}";

    // Valid encodings of small snapshots: mutations start from real structure, so they reach deep checks.
    private static byte[][] BuildCorpus(ISnapshotCodec codec)
    {
        var generator = new SnapshotGenerator(99);
        var snapshots = new List<MarketSnapshot> { new(0), generator.Generate(1), generator.Generate(2), generator.Generate(3) };
        MarketSnapshot extremes = TestSnapshots.Extremes();
        extremes.Resize(3);
        snapshots.Add(extremes);
        return [.. snapshots.Select(snapshot =>
        {
            byte[] buffer = new byte[codec.GetMaxEncodedLength(snapshot.InstrumentCount)];
            return buffer.AsSpan(0, codec.Encode(snapshot, buffer)).ToArray();
        })];
    }

    private static int Mutate(Random random, byte[] seed, byte[] output)
    {
        seed.CopyTo(output, 0);
        int length = seed.Length;
        int mutations = 1 + random.Next(3);
        for (int m = 0; m < mutations; m++)
        {
            switch (random.Next(9))
            {
                case 0: // truncate
                    length = random.Next(length + 1);
                    break;
                case 1: // flip bits
                    for (int flips = 1 + random.Next(4); flips > 0 && length > 0; flips--)
                    {
                        output[random.Next(length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 2: // a byte set to an extreme
                    if (length > 0)
                    {
                        output[random.Next(length)] = (byte)(random.Next(4) switch { 0 => 0x00, 1 => 0xFF, 2 => 0x7F, _ => 0x80 });
                    }

                    break;
                case 3: // a 32-bit word (length, count, offset) set to an extreme
                    if (length >= 4)
                    {
                        int position = random.Next(2) == 0 ? random.Next(length - 3) & ~3 : random.Next(length - 3);
                        uint value = random.Next(6) switch { 0 => 0, 1 => uint.MaxValue, 2 => int.MaxValue, 3 => 0x8000_0000, 4 => (uint)random.Next(), _ => (uint)random.Next(256) };
                        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(position), value);
                    }

                    break;
                case 4: // insert random bytes
                    {
                        int count = 1 + random.Next(8);
                        if (length + count <= output.Length)
                        {
                            int position = random.Next(length + 1);
                            output.AsSpan(position, length - position).CopyTo(output.AsSpan(position + count));
                            random.NextBytes(output.AsSpan(position, count));
                            length += count;
                        }
                    }

                    break;
                case 5: // delete bytes
                    if (length > 0)
                    {
                        int position = random.Next(length);
                        int count = Math.Min(1 + random.Next(8), length - position);
                        output.AsSpan(position + count, length - position - count).CopyTo(output.AsSpan(position));
                        length -= count;
                    }

                    break;
                case 6: // random bytes after a valid prefix
                    {
                        int prefix = random.Next(length + 1);
                        int newLength = Math.Min(output.Length, prefix + random.Next(256));
                        random.NextBytes(output.AsSpan(prefix, newLength - prefix));
                        length = newLength;
                    }

                    break;
                case 7: // pure garbage
                    length = random.Next(512);
                    random.NextBytes(output.AsSpan(0, length));
                    break;
                default: // leave as is (valid input stays valid)
                    break;
            }
        }

        return length;
    }
}
