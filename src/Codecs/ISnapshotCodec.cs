using System.Buffers;

namespace ShmIpc.Codecs;

/// <summary>
/// One encoding of a <see cref="MarketSnapshot"/>. Implementations keep reusable scratch state,
/// so an instance is NOT thread-safe: use one instance per thread (<see cref="SnapshotCodecs.Get"/>
/// returns a new one each call).
/// </summary>
public interface ISnapshotCodec
{
    /// <summary>Registry name: "raw", "fb", "msgpack", "protobuf" or "protobuf-classes".</summary>
    string Name { get; }

    /// <summary>Upper bound of the encoded size of any snapshot with this many instruments.</summary>
    int GetMaxEncodedLength(int instrumentCount);

    /// <summary>
    /// Encodes straight into <paramref name="destination"/> (e.g. a claimed ring slot) and returns the
    /// bytes written. Throws <see cref="ArgumentException"/> when the destination is too small;
    /// a destination of <see cref="GetMaxEncodedLength"/> bytes is always enough.
    /// </summary>
    int Encode(MarketSnapshot snapshot, Span<byte> destination);

    /// <summary>Encodes into a writer: asks it for <see cref="GetMaxEncodedLength"/> bytes, advances by what was written.</summary>
    void Encode(MarketSnapshot snapshot, IBufferWriter<byte> writer);

    /// <summary>
    /// Validates <paramref name="encoded"/> and reads every value in place; the receiver pays for
    /// the whole snapshot. Throws <see cref="SnapshotFormatException"/> for bad input.
    /// </summary>
    SnapshotDigest ReadEveryField(ReadOnlySpan<byte> encoded);

    /// <summary>
    /// As <see cref="ReadEveryField(ReadOnlySpan{byte})"/> for a buffer that may be split across
    /// segments (a socket's receive buffer). Single-segment input is read in place; each codec
    /// documents what it does with several segments.
    /// </summary>
    SnapshotDigest ReadEveryField(in ReadOnlySequence<byte> encoded);

    /// <summary>
    /// Decodes into <paramref name="destination"/> (resized to the instrument count); for tests,
    /// tools and receivers that want the model. Throws <see cref="SnapshotFormatException"/> for bad input.
    /// </summary>
    void Decode(ReadOnlySpan<byte> encoded, MarketSnapshot destination);
}
