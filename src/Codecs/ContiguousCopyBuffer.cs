using System.Buffers;
using System.Numerics;

namespace ShmIpc.Codecs;

/// <summary>
/// How a codec whose reader needs contiguous bytes (raw, FlatBuffers: offsets and records over the whole buffer) reads
/// a <see cref="ReadOnlySequence{T}"/>: a single segment in place, several segments copied once into a byte array it
/// reuses (no allocation once it has grown to the largest snapshot seen). Capped at the largest valid encoding, so a
/// bogus length can never make it allocate more. Not thread-safe (owned by one codec instance).
/// </summary>
internal sealed class ContiguousCopyBuffer
{
    private readonly string _codecName;
    private readonly int _maxLength;
    private byte[] _array = [];

    public ContiguousCopyBuffer(string codecName, int maxLength)
    {
        _codecName = codecName;
        _maxLength = maxLength;
    }

    /// <summary>The bytes of <paramref name="sequence"/> as one span: in place, or a copy valid until the next call.</summary>
    public ReadOnlySpan<byte> ContiguousSpanOf(in ReadOnlySequence<byte> sequence) =>
        sequence.IsSingleSegment ? sequence.FirstSpan : CopyOf(sequence);

    private ReadOnlySpan<byte> CopyOf(in ReadOnlySequence<byte> sequence)
    {
        SnapshotFormatGuards.ThrowIfLongerThanAnySnapshot(_codecName, sequence.Length, _maxLength);
        int length = (int)sequence.Length;
        if (_array.Length < length)
        {
            // Next power of two, capped at the largest valid encoding (length never exceeds it):
            // a slowly growing size does not reallocate every time.
            _array = new byte[(int)Math.Min(_maxLength, BitOperations.RoundUpToPowerOf2((uint)length))];
        }

        Span<byte> copy = _array.AsSpan(0, length);
        sequence.CopyTo(copy);
        return copy;
    }
}
