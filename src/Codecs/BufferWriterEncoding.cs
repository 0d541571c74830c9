using System.Buffers;

namespace ShmIpc.Codecs;

/// <summary>
/// The one way every codec encodes into an <see cref="IBufferWriter{T}"/>: ask for the maximum
/// size, encode straight into that span, advance by what was written. No intermediate buffer.
/// </summary>
internal static class BufferWriterEncoding
{
    public static void Encode(ISnapshotCodec codec, MarketSnapshot snapshot, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> destination = writer.GetSpan(codec.GetMaxEncodedLength(snapshot.InstrumentCount));
        int written = codec.Encode(snapshot, destination);
        writer.Advance(written);
    }
}
