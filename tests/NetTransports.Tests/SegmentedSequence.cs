using System.Buffers;

namespace ShmIpc.NetTransports.Tests;

/// <summary>Builds a multi-segment <see cref="ReadOnlySequence{T}"/> from chunks, to test frames split across buffers.</summary>
internal sealed class SegmentedSequence : ReadOnlySequenceSegment<byte>
{
    private SegmentedSequence(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Create(params byte[][] chunks)
    {
        var first = new SegmentedSequence(chunks[0], 0);
        SegmentedSequence last = first;
        foreach (byte[] chunk in chunks.Skip(1))
        {
            var next = new SegmentedSequence(chunk, last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
