using System.Buffers;

namespace ShmIpc.Codecs;

/// <summary>
/// Walks a <see cref="ReadOnlySequence{T}"/> (a socket's receive buffer) a window at a time, for readers that need a
/// few hundred contiguous bytes at once. Inside a segment the window is the segment itself, in place; only where the
/// wanted bytes straddle segments are they gathered into the caller's small scratch buffer (at most its length: one
/// value or one instrument, never the frame). Allocates nothing.
/// </summary>
internal ref struct SequenceWindowReader
{
    private readonly ReadOnlySequence<byte> _sequence;
    private SequencePosition _nextSegment;
    private ReadOnlySpan<byte> _segment;
    private int _index;
    private long _remaining;

    public SequenceWindowReader(in ReadOnlySequence<byte> sequence)
    {
        _sequence = sequence;
        _nextSegment = sequence.Start;
        _segment = default;
        _index = 0;
        _remaining = sequence.Length;
        MoveToNextNonEmptySegment();
    }

    /// <summary>Bytes not yet consumed.</summary>
    public readonly long Remaining => _remaining;

    /// <summary>
    /// The next bytes: the rest of the current segment if it holds at least <paramref name="wanted"/>, otherwise up
    /// to <paramref name="wanted"/> bytes (fewer at the end of the sequence) gathered into <paramref name="scratch"/>.
    /// Does not consume them.
    /// </summary>
    public readonly ReadOnlySpan<byte> Window(Span<byte> scratch, int wanted)
    {
        if (_remaining == 0)
        {
            return default; // consumed to the end (the index may then sit past the last segment's end)
        }

        ReadOnlySpan<byte> rest = _segment[_index..];
        if (rest.Length >= wanted || rest.Length == _remaining)
        {
            return rest;
        }

        int length = (int)Math.Min(Math.Min(wanted, scratch.Length), _remaining);
        rest.CopyTo(scratch);
        int gathered = rest.Length;
        SequencePosition position = _nextSegment;
        while (gathered < length && _sequence.TryGet(ref position, out ReadOnlyMemory<byte> memory))
        {
            ReadOnlySpan<byte> part = memory.Span[..Math.Min(memory.Length, length - gathered)];
            part.CopyTo(scratch[gathered..]);
            gathered += part.Length;
        }

        return scratch[..gathered];
    }

    /// <summary>Consumes <paramref name="count"/> bytes (at most <see cref="Remaining"/>).</summary>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _remaining);
        _remaining -= count;
        _index += count;
        while (_index >= _segment.Length && _remaining > 0 && !_segment.IsEmpty)
        {
            _index -= _segment.Length;
            MoveToNextNonEmptySegment();
        }
    }

    private void MoveToNextNonEmptySegment()
    {
        while (_sequence.TryGet(ref _nextSegment, out ReadOnlyMemory<byte> memory))
        {
            if (!memory.IsEmpty)
            {
                _segment = memory.Span;
                return;
            }
        }

        _segment = default;
    }
}
