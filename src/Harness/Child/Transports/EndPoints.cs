using System.Globalization;
using System.Net;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>The one textual form of a network endpoint the harness passes around: ADDRESS:PORT.</summary>
internal static class EndPoints
{
    public static string Format(IPEndPoint endPoint) =>
        string.Create(CultureInfo.InvariantCulture, $"{endPoint.Address}:{endPoint.Port}");

    public static bool TryParse(string text, out IPEndPoint endPoint)
    {
        endPoint = new IPEndPoint(IPAddress.Loopback, 0);
        int colon = text.LastIndexOf(':');
        if (colon <= 0
            || !IPAddress.TryParse(text[..colon].Trim('[', ']'), out IPAddress? address)
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            || port > IPEndPoint.MaxPort)
        {
            return false;
        }
        endPoint = new IPEndPoint(address, port);
        return true;
    }

    public static IPEndPoint Parse(string text) =>
        TryParse(text, out IPEndPoint endPoint) ? endPoint : throw new ArgumentException($"'{text}' is not ADDRESS:PORT (e.g. 127.0.0.1:7000)", nameof(text));
}
