using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ShmIpc.NetTransports.Tests.Http2;

/// <summary>
/// An HTTP/2 client written byte by byte (RFC 9113), for floods no real client sends: it writes the preface, SETTINGS
/// and whatever frames a test asks for, and never reads (as a flooding peer would not).
/// </summary>
internal sealed class RawHttp2Connection : IDisposable
{
    private const byte Data = 0x0, Headers = 0x1, RstStream = 0x3, Settings = 0x4, Ping = 0x6;
    private const byte EndStream = 0x1, EndHeaders = 0x4;
    private const uint Cancel = 0x8;

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly byte[] _requestHeaders;

    private RawHttp2Connection(IPEndPoint endPoint)
    {
        // HPACK (RFC 7541): :method POST (static 3), :scheme http (static 6), then :path and :authority as literals
        // without indexing whose names are static entries 4 and 1; no Huffman coding.
        byte[] path = Encoding.ASCII.GetBytes(ShmIpc.NetTransports.Http2.Http2FrameSubscriber.Path);
        byte[] authority = Encoding.ASCII.GetBytes(endPoint.ToString());
        _requestHeaders = [0x83, 0x86, 0x04, (byte)path.Length, .. path, 0x01, (byte)authority.Length, .. authority];
    }

    public static async Task<RawHttp2Connection> OpenAsync(IPEndPoint endPoint)
    {
        var connection = new RawHttp2Connection(endPoint);
        await connection._socket.ConnectAsync(endPoint);
        await connection.SendAsync([.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, .. Frame(Settings, 0, 0, [])]);
        return connection;
    }

    public static byte[] PingFrame(long opaque)
    {
        byte[] payload = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(payload, opaque);
        return Frame(Ping, 0, 0, payload);
    }

    public static byte[] SettingsFrame() => Frame(Settings, 0, 0, []);

    /// <summary>HEADERS opening a POST to the frames path on <paramref name="streamId"/> (odd), its body still to come.</summary>
    public byte[] RequestFrame(int streamId) => Frame(Headers, EndHeaders, streamId, _requestHeaders);

    public static byte[] DataFrame(int streamId, byte[] body, bool endStream) => Frame(Data, endStream ? EndStream : (byte)0, streamId, body);

    public static byte[] ResetFrame(int streamId)
    {
        byte[] payload = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, Cancel);
        return Frame(RstStream, 0, streamId, payload);
    }

    /// <summary>
    /// Sends; false when the server has closed or reset the connection, or has stopped reading for 10 s (its answers,
    /// unread, filled the buffers): either way the flood is cut short, which is the server protecting itself.
    /// </summary>
    public async Task<bool> SendAsync(byte[] bytes)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _socket.SendAsync(bytes, SocketFlags.None, patience.Token);
            return true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();

    private static byte[] Frame(byte type, byte flags, int streamId, byte[] payload)
    {
        byte[] frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
        payload.CopyTo(frame, 9);
        return frame;
    }
}
