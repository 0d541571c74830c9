using System.Runtime.CompilerServices;

namespace ShmIpc.ShmRing;

/// <summary>
/// A producer's knowledge of how far the consumer has released: a cached consumer position, re-read only when the
/// cached one says the ring is full. A mutable struct kept in a (non-readonly) field of its claim protocol: no
/// allocation, no indirection.
/// </summary>
internal struct FreeSpace
{
    private readonly RingHeader _header;
    private readonly long _capacity;
    private long _cachedConsumerPosition;

    public FreeSpace(RingHeader header, long capacity)
    {
        _header = header;
        _capacity = capacity;

        // SYNC POINT acquire, partner the consumer's release store of ConsumerPosition (RingConsumer.Release).
        _cachedConsumerPosition = Volatile.Read(ref header.ConsumerPosition);
    }

    /// <summary>True if <paramref name="length"/> bytes from <paramref name="position"/> are free (released by the consumer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsAvailable(long position, int length)
    {
        if (position + length - _cachedConsumerPosition <= _capacity)
        {
            return true;
        }

        // SYNC POINT acquire, partner the consumer's release store of ConsumerPosition (RingConsumer.Release,
        // ReadBatch): its reads of what it released happened before that store, so the space is ours to overwrite.
        _cachedConsumerPosition = Volatile.Read(ref _header.ConsumerPosition);

        // Informational (no partner): the producers' shared lower bound of the consumer position.
        Volatile.Write(ref _header.CachedConsumerPosition, _cachedConsumerPosition);
        return position + length - _cachedConsumerPosition <= _capacity;
    }
}
