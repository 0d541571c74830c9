using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ShmIpc.NetTransports;
using ShmIpc.NetTransports.UnixSockets;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// The one textual form of a network endpoint the harness passes around: ADDRESS:PORT (TCP), or unix:PATH (a Unix
/// domain socket, the path under the transport library's rule, <see cref="UnixSocketPath"/>).
/// </summary>
internal static class EndPoints
{
    /// <summary>What starts the text of a Unix socket endpoint: <c>unix:/run/user/1000/shmipc/harness.sock</c>.</summary>
    public const string UnixSocketPrefix = "unix:";

    public static string Format(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint ip => string.Create(CultureInfo.InvariantCulture, $"{ip.Address}:{ip.Port}"),
        UnixDomainSocketEndPoint unix => UnixSocketPrefix + unix,
        _ => throw new ArgumentException($"not an endpoint the harness uses: {endPoint}", nameof(endPoint)),
    };

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

    /// <summary>
    /// Reads unix:PATH. False with <paramref name="error"/> saying why when the text is not of that form or the path
    /// breaks the socket-path rule.
    /// </summary>
    public static bool TryParseUnixSocket(string text, out UnixDomainSocketEndPoint? endPoint, out string error)
    {
        endPoint = null;
        if (!text.StartsWith(UnixSocketPrefix, StringComparison.Ordinal))
        {
            error = $"'{text}' is not {UnixSocketPrefix}PATH (e.g. {UnixSocketPrefix}/tmp/shmipc-1000/harness.sock)";
            return false;
        }

        try
        {
            endPoint = UnixSocketPath.ToEndPoint(text[UnixSocketPrefix.Length..]);
            error = "";
            return true;
        }
        catch (TransportException exception)
        {
            error = exception.Message;
            return false;
        }
    }
}
