using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace ShmIpc.Codecs.FlatBuffers;

/// <summary>
/// Our own verifier and accessor for a <c>snapshot.fbs</c> FlatBuffer over a
/// <see cref="ReadOnlySpan{T}"/> (the official runtime reads only <c>byte[]</c>). It walks the
/// format generically (root offset, vtable, optional fields with defaults, vector of structs), so it
/// reads buffers from the official builder as well as ours; every offset is bounds-checked before
/// it is followed. The instruments vector is exposed as a span of <see cref="InstrumentSnapshot"/>
/// overlaid on the bytes: a FlatBuffers struct is a fixed little-endian record, and ours is exactly
/// the 112-byte record. Valid only as long as the underlying buffer.
/// </summary>
public readonly ref struct FlatBuffersSnapshotReader
{
    private FlatBuffersSnapshotReader(long sequence, long sendTimestampNs, ReadOnlySpan<InstrumentSnapshot> instruments)
    {
        Sequence = sequence;
        SendTimestampNs = sendTimestampNs;
        Instruments = instruments;
    }

    public long Sequence { get; }

    public long SendTimestampNs { get; }

    public int InstrumentCount => Instruments.Length;

    /// <summary>The instruments vector, in place.</summary>
    public ReadOnlySpan<InstrumentSnapshot> Instruments { get; }

    /// <summary>Verifies and returns the view; throws <see cref="SnapshotFormatException"/>.</summary>
    public static FlatBuffersSnapshotReader Create(ReadOnlySpan<byte> encoded)
    {
        if (!TryCreate(encoded, out FlatBuffersSnapshotReader reader, out string? problem))
        {
            throw new SnapshotFormatException(FlatBuffersSnapshotCodec.CodecName, problem);
        }

        return reader;
    }

    /// <summary>Verifies without throwing; <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> encoded, out FlatBuffersSnapshotReader reader, [NotNullWhen(false)] out string? problem)
    {
        reader = default;

        // Positions are kept in long so that no offset arithmetic can overflow before it is checked.
        long length = encoded.Length;
        if (length < 8)
        {
            problem = $"buffer of {length} bytes is too short for a root offset and file identifier";
            return false;
        }

        if (!encoded.Slice(FlatBuffersSnapshotLayout.FileIdentifierPosition, 4).SequenceEqual("SNAP"u8))
        {
            problem = "file identifier is not \"SNAP\"";
            return false;
        }

        long tablePosition = BinaryPrimitives.ReadUInt32LittleEndian(encoded);
        if (tablePosition % 4 != 0 || tablePosition + 4 > length)
        {
            problem = $"root table offset {tablePosition} is misaligned or outside the {length}-byte buffer";
            return false;
        }

        // soffset: the vtable is at table − soffset (either side of the table).
        long vtablePosition = tablePosition - BinaryPrimitives.ReadInt32LittleEndian(encoded[(int)tablePosition..]);
        if (vtablePosition < 0 || vtablePosition % 2 != 0 || vtablePosition + 4 > length)
        {
            problem = $"vtable position {vtablePosition} is misaligned or outside the buffer";
            return false;
        }

        int vtableLength = BinaryPrimitives.ReadUInt16LittleEndian(encoded[(int)vtablePosition..]);
        int tableLength = BinaryPrimitives.ReadUInt16LittleEndian(encoded[((int)vtablePosition + 2)..]);
        if (vtableLength < 4 || vtableLength % 2 != 0 || vtablePosition + vtableLength > length)
        {
            problem = $"vtable length {vtableLength} is invalid or runs past the buffer";
            return false;
        }

        if (tableLength < 4 || tablePosition + tableLength > length)
        {
            problem = $"table length {tableLength} runs past the buffer";
            return false;
        }

        ReadOnlySpan<byte> vtable = encoded.Slice((int)vtablePosition, vtableLength);
        ReadOnlySpan<byte> table = encoded.Slice((int)tablePosition, tableLength);

        if (!TryReadInt64Field(vtable, table, tablePosition, FlatBuffersSnapshotLayout.SequenceFieldId, "sequence", out long sequence, out problem)
            || !TryReadInt64Field(vtable, table, tablePosition, FlatBuffersSnapshotLayout.SendTimestampNsFieldId, "send_timestamp_ns", out long sendTimestampNs, out problem))
        {
            return false;
        }

        ReadOnlySpan<InstrumentSnapshot> instruments = default;
        int instrumentsField = FieldOffset(vtable, FlatBuffersSnapshotLayout.InstrumentsFieldId);
        if (instrumentsField != 0)
        {
            long fieldPosition = tablePosition + instrumentsField;
            if (instrumentsField + 4 > tableLength || fieldPosition % 4 != 0)
            {
                problem = $"instruments field at table offset {instrumentsField} is misaligned or outside the table";
                return false;
            }

            long vectorPosition = fieldPosition + BinaryPrimitives.ReadUInt32LittleEndian(table[instrumentsField..]);
            if (vectorPosition % 4 != 0 || vectorPosition + 4 > length)
            {
                problem = $"instruments vector at {vectorPosition} is misaligned or outside the {length}-byte buffer";
                return false;
            }

            uint count = BinaryPrimitives.ReadUInt32LittleEndian(encoded[(int)vectorPosition..]);
            if (count > MarketSnapshot.MaxInstrumentCount)
            {
                problem = $"instrument count {count} exceeds {MarketSnapshot.MaxInstrumentCount}";
                return false;
            }

            long elementsPosition = vectorPosition + 4;
            long elementsLength = count * (long)InstrumentSnapshotLayout.Size;
            if (elementsPosition + elementsLength > length)
            {
                problem = $"{count} instruments at {elementsPosition} run past the {length}-byte buffer";
                return false;
            }

            // Overlay (little-endian host checked by the codec); unaligned starts are fine on x64/arm64.
            instruments = MemoryMarshal.Cast<byte, InstrumentSnapshot>(encoded.Slice((int)elementsPosition, (int)elementsLength));
        }

        reader = new FlatBuffersSnapshotReader(sequence, sendTimestampNs, instruments);
        problem = null;
        return true;
    }

    // 0 means "absent": the field takes its default. Slots beyond the vtable's length are absent too.
    private static int FieldOffset(ReadOnlySpan<byte> vtable, int fieldId)
    {
        int slot = 4 + (2 * fieldId);
        return slot + 2 <= vtable.Length ? BinaryPrimitives.ReadUInt16LittleEndian(vtable[slot..]) : 0;
    }

    private static bool TryReadInt64Field(ReadOnlySpan<byte> vtable, ReadOnlySpan<byte> table, long tablePosition, int fieldId, string name, out long value, [NotNullWhen(false)] out string? problem)
    {
        value = 0;
        problem = null;
        int offset = FieldOffset(vtable, fieldId);
        if (offset == 0)
        {
            return true;
        }

        if (offset + 8 > table.Length || (tablePosition + offset) % 8 != 0)
        {
            problem = $"{name} field at table offset {offset} is misaligned or outside the table";
            return false;
        }

        value = BinaryPrimitives.ReadInt64LittleEndian(table[offset..]);
        return true;
    }
}
