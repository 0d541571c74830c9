namespace ShmIpc.Codecs;

/// <summary>
/// A reused byte array that a codec whose reader needs contiguous bytes (raw, FlatBuffers) copies a
/// multi-segment <see cref="System.Buffers.ReadOnlySequence{T}"/> into: one copy, no allocation once
/// it has grown to the largest snapshot seen. Capped at the largest valid encoding, so a bogus
/// length can never make it allocate more. Not thread-safe (owned by one codec instance).
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

    /// <summary>Copies <paramref name="sequence"/> and returns a span over the copy, valid until the next call.</summary>
    public ReadOnlySpan<byte> CopyOf(in System.Buffers.ReadOnlySequence<byte> sequence)
    {
        if (sequence.Length > _maxLength)
        {
            throw new SnapshotFormatException(_codecName, $"buffer of {sequence.Length} bytes exceeds the largest valid snapshot ({_maxLength} bytes)");
        }

        int length = (int)sequence.Length;
        if (_array.Length < length)
        {
            // Grow to the next power of two (capped) so a slowly growing size does not reallocate every time.
            _array = new byte[Math.Min(Math.Max(length, (int)Math.Min(_maxLength, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)length))), _maxLength)];
        }

        Span<byte> copy = _array.AsSpan(0, length);
        System.Buffers.BuffersExtensions.CopyTo(sequence, copy);
        return copy;
    }
}
