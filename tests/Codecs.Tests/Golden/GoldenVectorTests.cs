using System.Text.Json;

namespace ShmIpc.Codecs.Tests.Golden;

/// <summary>
/// Byte-for-byte wire contract: encoding Golden/snapshot.json with each codec gives Golden/&lt;codec&gt;.bin,
/// and decoding each file gives the snapshot back. SHMIPC_UPDATE_GOLDEN=1 rewrites the files instead.
/// </summary>
public sealed class GoldenVectorTests
{
    private static readonly string GoldenDirectory = RepositoryPaths.Combine("tests", "Codecs.Tests", "Golden");

    // SnapshotGenerator(DefaultSeed): Generate(128) then Fill once. Changing the generator changes this on purpose.
    private static readonly SnapshotDigest GeneratorDigestPin = new(2, 3_600_001_966_473, 128, 73_584_886_888_824_513);

    public static TheoryData<string> CodecNames => [.. SnapshotCodecs.Names];

    [Theory]
    [MemberData(nameof(CodecNames))]
    public void Encoding_ReproducesTheGoldenBytes_AndDecodingGivesTheSnapshot(string name)
    {
        ISnapshotCodec codec = SnapshotCodecs.Get(name);
        MarketSnapshot snapshot = LoadSnapshot();
        byte[] buffer = new byte[codec.GetMaxEncodedLength(snapshot.InstrumentCount)];
        byte[] encoded = buffer.AsSpan(0, codec.Encode(snapshot, buffer)).ToArray();
        string path = Path.Combine(GoldenDirectory, name + ".bin");

        if (Environment.GetEnvironmentVariable("SHMIPC_UPDATE_GOLDEN") == "1")
        {
            // A run that rewrites the files compares nothing: it must not count as a pass.
            File.WriteAllBytes(path, encoded);
            Assert.Fail($"{path} rewritten (SHMIPC_UPDATE_GOLDEN=1): review the diff, then rerun without it");
        }

        Assert.True(File.Exists(path), $"{path} is missing (SHMIPC_UPDATE_GOLDEN=1 creates it)");
        byte[] golden = File.ReadAllBytes(path);
        Assert.Equal(golden, encoded);

        var decoded = new MarketSnapshot(0);
        codec.Decode(golden, decoded);
        Assert.True(snapshot.ContentEquals(decoded), $"{name}: decoding the golden bytes did not give the snapshot");
        Assert.Equal(SnapshotDigest.Of(snapshot), codec.ReadEveryField(golden));
    }

    [Fact]
    public void GoldenSnapshot_IsWhatTheJsonSays()
    {
        MarketSnapshot snapshot = LoadSnapshot();
        Assert.Equal(3, snapshot.InstrumentCount);
        Assert.Equal(1234567, snapshot.Sequence);
        Assert.Equal(long.MaxValue, snapshot.Instruments[2].Volume);
        Assert.Equal(new PriceLevel(98772, 100000), snapshot.Instruments[1].Asks[4]);
    }

    [Fact]
    public void Generator_IsStableAcrossMachinesAndVersions()
    {
        // Pins the generator's output: the harness and benchmarks rely on seed → same snapshots everywhere.
        var generator = new SnapshotGenerator();
        MarketSnapshot snapshot = generator.Generate(128);
        generator.Fill(snapshot);
        Assert.Equal(GeneratorDigestPin, SnapshotDigest.Of(snapshot));
    }

    private static MarketSnapshot LoadSnapshot()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenDirectory, "snapshot.json")));
        JsonElement root = document.RootElement;
        JsonElement instruments = root.GetProperty("instruments");
        var snapshot = new MarketSnapshot(instruments.GetArrayLength())
        {
            Sequence = root.GetProperty("sequence").GetInt64(),
            SendTimestampNs = root.GetProperty("sendTimestampNs").GetInt64(),
        };
        int index = 0;
        foreach (JsonElement element in instruments.EnumerateArray())
        {
            ref InstrumentSnapshot instrument = ref snapshot.Instruments[index++];
            instrument.InstrumentId = element.GetProperty("instrumentId").GetInt32();
            instrument.LastPrice = element.GetProperty("lastPrice").GetInt32();
            instrument.Volume = element.GetProperty("volume").GetInt64();
            instrument.Turnover = element.GetProperty("turnover").GetInt64();
            instrument.ExchangeTimestampNs = element.GetProperty("exchangeTimestampNs").GetInt64();
            ReadLevels(element.GetProperty("bids"), ref instrument.Bids);
            ReadLevels(element.GetProperty("asks"), ref instrument.Asks);
        }

        return snapshot;
    }

    private static void ReadLevels(JsonElement levels, ref OrderBookLevels into)
    {
        Assert.Equal(OrderBookLevels.Count, levels.GetArrayLength());
        int level = 0;
        foreach (JsonElement pair in levels.EnumerateArray())
        {
            into[level++] = new PriceLevel(pair[0].GetInt32(), pair[1].GetInt32());
        }
    }
}
