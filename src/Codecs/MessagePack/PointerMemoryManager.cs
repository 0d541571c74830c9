using System.Buffers;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// A <see cref="MemoryManager{T}"/> over memory that is already pinned (a <c>fixed</c> span, or a
/// native mapping such as a ring slot), so <c>MessagePackSerializer</c> — which takes memory or a sequence,
/// never a span — can read it in place. Reused: <see cref="Reset"/> points it at new memory, no
/// allocation. The caller guarantees the memory stays pinned and alive while the returned
/// <see cref="Memory{T}"/> is used (<see cref="MessagePackTypedSnapshotCodec"/> uses it only inside its own
/// <c>fixed</c> block). Not thread-safe.
/// </summary>
internal sealed unsafe class PointerMemoryManager : MemoryManager<byte>
{
    private byte* _pointer;
    private int _length;

    public void Reset(byte* pointer, int length)
    {
        _pointer = pointer;
        _length = length;
    }

    public override Span<byte> GetSpan() => new(_pointer, _length);

    // Already pinned by the owner: nothing to pin or unpin.
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)_length, nameof(elementIndex));
        return new MemoryHandle(_pointer + elementIndex);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing) => Reset(null, 0);
}
