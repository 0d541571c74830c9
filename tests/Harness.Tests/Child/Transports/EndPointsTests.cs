using System.Net;
using System.Net.Sockets;
using ShmIpc.Harness.Child.Transports;

namespace ShmIpc.Harness.Tests.Child.Transports;

/// <summary>The one textual form of an endpoint: ADDRESS:PORT and unix:PATH, written and read back.</summary>
public sealed class EndPointsTests
{
    [Fact]
    public void AUnixSocket_IsWrittenAsUnixPath_AndReadBack()
    {
        string text = EndPoints.Format(new UnixDomainSocketEndPoint("/tmp/shmipc-1000/harness.sock"));
        Assert.Equal("unix:/tmp/shmipc-1000/harness.sock", text);
        Assert.True(EndPoints.TryParseUnixSocket(text, out UnixDomainSocketEndPoint? endPoint, out string error), error);
        Assert.Equal("/tmp/shmipc-1000/harness.sock", endPoint!.ToString());
    }

    [Fact]
    public void AnIpEndPoint_IsWrittenAsAddressPort() =>
        Assert.Equal("127.0.0.1:7000", EndPoints.Format(new IPEndPoint(IPAddress.Loopback, 7000)));

    [Theory]
    [InlineData("/tmp/harness.sock", "is not unix:PATH")]
    [InlineData("unix:harness.sock", "not an absolute path")]
    public void TextThatIsNotAUsableUnixSocket_SaysWhy(string text, string expected)
    {
        Assert.False(EndPoints.TryParseUnixSocket(text, out _, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
