using System.Text.Json;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Protocol;

public sealed class EnumNamesTests
{
    [Fact]
    public void Names_AreWhatUsersType_InDeclarationOrder()
    {
        Assert.Equal(["shm", "grpc", "fb", "msgpack", "uds", "grpc-uds", "shm-broadcast"], EnumNames.All<TransportKind>());
        Assert.Equal(["spin", "yield", "block"], EnumNames.All<ShmWaitStrategy>());
        Assert.Equal("fb", EnumNames.Of(TransportKind.FlatBuffersHttp2));
    }

    [Fact]
    public void Names_AreWhatTheJsonSays()
    {
        foreach (TransportKind transport in Enum.GetValues<TransportKind>())
        {
            Assert.Equal($"\"{EnumNames.Of(transport)}\"", JsonSerializer.Serialize(transport, ProtocolJson.Options));
        }
        Assert.Equal(ShmWaitStrategy.Yield, JsonSerializer.Deserialize<ShmWaitStrategy>("\"yield\"", ProtocolJson.Options));
    }

    [Fact]
    public void TryParse_IgnoresCase_AndOtherwiseNamesTheValueAndTheAllowedOnes()
    {
        Assert.True(EnumNames.TryParse("Block", out ShmWaitStrategy wait, out _));
        Assert.Equal(ShmWaitStrategy.Block, wait);

        Assert.False(EnumNames.TryParse("fast", out ShmWaitStrategy _, out string error));
        Assert.Equal("'fast' is not one of: spin, yield, block", error);
        Assert.Throws<ArgumentException>(() => EnumNames.Parse<TransportKind>("pigeon"));
    }

    [Fact]
    public void AValueThatIsNoName_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EnumNames.Of((ShmWaitStrategy)7));
        Assert.Throws<JsonException>(() => JsonSerializer.Serialize((ShmWaitStrategy)7, ProtocolJson.Options));
    }
}
