namespace ShmIpc.ShmRing.TestPeer;

/// <summary>
/// The deterministic stream of test records both processes agree on: producer p's record n has a size drawn from
/// Random(seed + p), the type p &lt;&lt; 24 | (n mod 2^24), and a payload cut from a fixed random block at an offset derived
/// from (p, n). The consumer regenerates each record and compares every byte.
/// </summary>
public sealed class RecordPattern
{
    private const int BlockLength = 1 << 17;
    private static readonly byte[] Block = CreateBlock();
    private readonly Random _sizes;
    private readonly int _maxSize;

    public RecordPattern(int producerId, int seed, int maxSize)
    {
        ProducerId = producerId;
        _sizes = new Random(seed + producerId);
        _maxSize = maxSize;
    }

    public int ProducerId { get; }

    public long Next { get; private set; }

    public static int ProducerOf(int recordType) => recordType >> 24;

    public static int SequenceBitsOf(int recordType) => recordType & 0xFF_FFFF;

    /// <summary>Size, type and payload of the next record in this producer's stream; advances the stream.</summary>
    public ReadOnlySpan<byte> TakeNext(out int recordType)
    {
        long sequence = Next++;
        int size = _sizes.Next(1, _maxSize + 1);
        recordType = (ProducerId << 24) | (int)(sequence & 0xFF_FFFF);
        int offset = (int)(((sequence * 7919) + (ProducerId * 104_729)) % (BlockLength - _maxSize));
        return Block.AsSpan(offset, size);
    }

    private static byte[] CreateBlock()
    {
        var block = new byte[BlockLength];
        new Random(20261127).NextBytes(block);
        return block;
    }
}
