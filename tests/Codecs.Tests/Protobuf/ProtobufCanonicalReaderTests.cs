using Google.Protobuf;
using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.Codecs.Tests.Protobuf;

/// <summary>
/// The in-place reader's fast path (<see cref="ProtobufCanonicalReader"/>) against its general reader: it must take
/// the bytes writers emit, and whatever it takes it must read as the general reader does (else the general reader's
/// acceptance, which the codec tests pin down, would not be the codec's).
/// </summary>
public sealed class ProtobufCanonicalReaderTests
{
    // Bounded: a few thousand mutations of small snapshots run in well under a second.
    private const int Mutations = 20_000;

    public static TheoryData<int> InstrumentCounts => [0, 1, 3, 128];

    [Theory]
    [MemberData(nameof(InstrumentCounts))]
    public void WritersBytes_TakeTheFastPath_SpanAndSplit(int instruments)
    {
        MarketSnapshot snapshot = new SnapshotGenerator(7).Generate(instruments);
        var message = new Snapshot();
        ProtobufClassesSnapshotCodec.CopyTo(snapshot, message);

        foreach (byte[] bytes in new[] { Encode(snapshot), message.ToByteArray() })
        {
            Assert.True(ProtobufSnapshotReader.TryReadEveryFieldCanonical(bytes, out SnapshotDigest span));
            Assert.Equal(SnapshotDigest.Of(snapshot), span);
            for (int cut = 1; cut < bytes.Length; cut += 1 + (bytes.Length / 97))
            {
                Assert.True(ProtobufSnapshotReader.TryReadEveryFieldCanonical(SequenceSplitter.Split(bytes, cut, cut + 5), out SnapshotDigest split));
                Assert.Equal(SnapshotDigest.Of(snapshot), split);
            }
        }
    }

    [Fact]
    public void OmittedZeroScalars_TakeTheFastPath()
    {
        MarketSnapshot snapshot = new SnapshotGenerator(7).Generate(2);
        snapshot.Sequence = 0;
        snapshot.Instruments[0] = snapshot.Instruments[0] with { InstrumentId = 0, Volume = 0, ExchangeTimestampNs = 0 };

        Assert.True(ProtobufSnapshotReader.TryReadEveryFieldCanonical(Encode(snapshot), out SnapshotDigest digest));
        Assert.Equal(SnapshotDigest.Of(snapshot), digest);
    }

    // snapshot.proto's field numbers, from the tags.
    private const int SequenceField = ProtobufWireFormat.SequenceTag >> 3;
    private const int SendTimestampField = ProtobufWireFormat.SendTimestampTag >> 3;
    private const int InstrumentsField = ProtobufWireFormat.InstrumentTag >> 3;

    // An instrument's scalars before its book, in the fast path's order: tag, then the value's bytes after it.
    private static readonly (string Name, byte Tag, byte[] Value)[] Scalars =
    [
        ("the instrument id", ProtobufWireFormat.InstrumentIdTag, new WireBytes().Varint(7).ToArray()),
        ("the last price", ProtobufWireFormat.LastPriceTag, new WireBytes().Varint(100).ToArray()),
        ("the volume", ProtobufWireFormat.VolumeTag, new WireBytes().Varint(5).ToArray()),
        ("the turnover", ProtobufWireFormat.TurnoverTag, new WireBytes().Varint(9).ToArray()),
        ("the exchange time", ProtobufWireFormat.ExchangeTimestampTag, BitConverter.GetBytes(11L)),
    ];

    public static TheoryData<string, byte[]> VarintsLongerThanOneLoad
    {
        get
        {
            // Each built so that a reader that took the varint's first eight bytes for the whole of it would find the
            // ninth the start of a plausible field and read on in step, to the end of the body or the message.
            InstrumentSnapshot onTheVectorShape = new SnapshotGenerator(3).Generate(1).Instruments[0];
            InstrumentSnapshot offIt = onTheVectorShape; // a value of five bytes: the vector book reader declines it
            offIt.Bids[0] = new PriceLevel(1 << 28, offIt.Bids[0].Quantity);
            byte[] body = Body(-1, in onTheVectorShape);
            byte[] lengthInNine = NineBytes(new WireBytes().Int64(SequenceField, 1).Fixed64(SendTimestampField, 2)
                .Tag(InstrumentsField, 2), (ulong)body.Length, ninth: body[0]);
            byte[] sequenceInNine = NineBytes(new WireBytes().Tag(SequenceField, 0), 1, ninth: ProtobufWireFormat.SendTimestampTag);
            byte[] sendTimeAndInstrument = new WireBytes().Fixed64(SendTimestampField, 2).LengthDelimited(InstrumentsField, body).ToArray();
            var data = new TheoryData<string, byte[]>
            {
                { "the sequence", [.. sequenceInNine, .. sendTimeAndInstrument.AsSpan(1)] },
                { "an instrument's length", [.. lengthInNine, .. body.AsSpan(1)] },
            };
            for (int scalar = 0; scalar < Scalars.Length - 1; scalar++)
            {
                foreach ((string book, InstrumentSnapshot instrument) in new[] { ("a vector book", onTheVectorShape), ("a book by field", offIt) })
                {
                    byte[] message = new WireBytes().Int64(SequenceField, 1).LengthDelimited(InstrumentsField, Body(scalar, in instrument)).ToArray();
                    data.Add($"{Scalars[scalar].Name}, {book}", message);
                }
            }

            return data;
        }
    }

    /// <summary>
    /// An instrument body: the scalars, then the book. Scalar <paramref name="inNine"/> (if any) takes nine bytes, its ninth
    /// the next field's tag, and that field's own tag is left out.
    /// </summary>
    private static byte[] Body(int inNine, in InstrumentSnapshot instrument)
    {
        var body = new List<byte>();
        for (int scalar = 0; scalar < Scalars.Length; scalar++)
        {
            (_, byte tag, byte[] value) = Scalars[scalar];
            if (scalar != inNine + 1)
            {
                body.Add(tag);
            }

            body.AddRange(scalar == inNine ? NineBytes(new WireBytes(), value[0], ninth: Scalars[scalar + 1].Tag) : value);
        }

        body.AddRange(new WireBytes().Book(in instrument).ToArray());
        return [.. body];
    }

    [Theory]
    [MemberData(nameof(VarintsLongerThanOneLoad))]
    public void AVarintLongerThanOneLoad_LeavesTheFastPath(string what, byte[] bytes)
    {
        Assert.False(ProtobufSnapshotReader.TryReadEveryFieldCanonical(bytes, out _), what);
        Assert.False(ProtobufSnapshotReader.TryReadEveryFieldCanonical(SequenceSplitter.Split(bytes, bytes.Length / 2), out _), what);
    }

    /// <summary>
    /// <paramref name="prefix"/>'s bytes, then <paramref name="value"/> as a varint of nine bytes whose ninth is
    /// <paramref name="ninth"/>.
    /// </summary>
    private static byte[] NineBytes(WireBytes prefix, ulong value, byte ninth)
    {
        byte[] bytes = prefix.Varint(value, minLength: 9).ToArray();
        bytes[^1] = ninth;
        return bytes;
    }

    [Fact]
    public void MutatedBytes_TheFastPathTakesOnlyWhatTheGeneralReaderReadsTheSame()
    {
        var random = new Random(20261203);
        byte[] seed = Encode(new SnapshotGenerator(11).Generate(3));
        byte[] input = new byte[seed.Length + 16];
        int taken = 0;
        int declined = 0;
        for (int iteration = 0; iteration < Mutations; iteration++)
        {
            int length = Mutate(random, seed, input);
            ReadOnlySpan<byte> bytes = input.AsSpan(0, length);
            bool split = random.Next(4) == 0;
            int cut = random.Next(length + 1);
            bool fast = split
                ? ProtobufSnapshotReader.TryReadEveryFieldCanonical(SequenceSplitter.Split(bytes, cut), out SnapshotDigest digest)
                : ProtobufSnapshotReader.TryReadEveryFieldCanonical(bytes, out digest);
            if (!fast)
            {
                declined++;
                continue;
            }

            taken++;
            SnapshotDigest general = ProtobufSnapshotReader.ReadEveryFieldGeneral(bytes); // throws if it would reject them
            Assert.True(general == digest, $"iteration {iteration}: fast {digest}, general {general} for {Convert.ToHexString(bytes)}");
        }

        Assert.True(taken > Mutations / 20, $"only {taken} mutations stayed canonical");
        Assert.True(declined > Mutations / 4, $"only {declined} mutations left the canonical layout");
    }

    private static byte[] Encode(MarketSnapshot snapshot)
    {
        var codec = new ProtobufSnapshotCodec();
        byte[] buffer = new byte[codec.GetMaxEncodedLength(snapshot.InstrumentCount)];
        return buffer.AsSpan(0, codec.Encode(snapshot, buffer)).ToArray();
    }

    /// <summary>One small change: a byte set to a random or a boundary value, a truncation, or a byte inserted.</summary>
    private static int Mutate(Random random, byte[] seed, byte[] output)
    {
        seed.CopyTo(output, 0);
        int at = random.Next(seed.Length);
        byte[] interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x1A, 0x32, 0x08, 0x29];
        switch (random.Next(4))
        {
            case 0:
                output[at] = (byte)random.Next(256);
                return seed.Length;
            case 1:
                output[at] = interesting[random.Next(interesting.Length)];
                return seed.Length;
            case 2:
                return at;
            default:
                Array.Copy(seed, at, output, at + 1, seed.Length - at);
                output[at] = interesting[random.Next(interesting.Length)];
                return seed.Length + 1;
        }
    }
}
