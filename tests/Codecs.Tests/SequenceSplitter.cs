using System.Buffers;

namespace ShmIpc.Codecs.Tests;

/// <summary>Builds a <see cref="ReadOnlySequence{T}"/> over a copy of some bytes, cut into segments at given points.</summary>
internal static class SequenceSplitter
{
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> bytes, params int[] cutPoints)
    {
        var bounds = new List<int> { 0 };
        int length = bytes.Length;
        bounds.AddRange(cutPoints.Where(cut => cut > 0 && cut < length).Distinct().Order());
        bounds.Add(bytes.Length);
        Segment? first = null;
        Segment? last = null;
        for (int i = 0; i + 1 < bounds.Count; i++)
        {
            var segment = new Segment(bytes[bounds[i]..bounds[i + 1]].ToArray(), last);
            first ??= segment;
            last = segment;
        }

        return first is null || last is null
            ? ReadOnlySequence<byte>.Empty
            : new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, Segment? previous)
        {
            Memory = bytes;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
