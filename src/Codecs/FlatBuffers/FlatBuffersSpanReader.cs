using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace ShmIpc.Codecs.FlatBuffers;

/// <summary>
/// FlatBuffers' wire primitives over a <see cref="ReadOnlySpan{T}"/>, positioned on one table: the root table (root
/// offset, file identifier, soffset to the vtable), then the table's fields through the vtable (a slot of 0, or beyond
/// the vtable, is an absent field with its default) and a vector of structs. Generic FlatBuffers, no schema: it reads
/// any builder's layout. Every offset is bounds- and alignment-checked before it is followed; positions are kept in
/// <see langword="long"/>, so no offset arithmetic can overflow before it is checked. A TryRead that fails says why in
/// its problem and leaves the table as it was.
/// </summary>
internal readonly ref struct FlatBuffersSpanReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly ReadOnlySpan<byte> _vtable;
    private readonly ReadOnlySpan<byte> _table;
    private readonly long _tablePosition;

    private FlatBuffersSpanReader(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> vtable, ReadOnlySpan<byte> table, long tablePosition)
    {
        _buffer = buffer;
        _vtable = vtable;
        _table = table;
        _tablePosition = tablePosition;
    }

    /// <summary>Checks the file identifier and positions on the root table with its vtable.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadRootTable(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> fileIdentifier, out FlatBuffersSpanReader table, [NotNullWhen(false)] out string? problem)
    {
        table = default;
        long length = buffer.Length;
        if (length < 8)
        {
            problem = $"buffer of {length} bytes is too short for a root offset and file identifier";
            return false;
        }

        if (!buffer.Slice(4, 4).SequenceEqual(fileIdentifier))
        {
            problem = $"file identifier is not \"{Encoding.ASCII.GetString(fileIdentifier)}\"";
            return false;
        }

        long tablePosition = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        if (tablePosition % 4 != 0 || tablePosition + 4 > length)
        {
            problem = $"root table offset {tablePosition} is misaligned or outside the {length}-byte buffer";
            return false;
        }

        // soffset: the vtable is at table − soffset (either side of the table).
        long vtablePosition = tablePosition - BinaryPrimitives.ReadInt32LittleEndian(buffer[(int)tablePosition..]);
        if (vtablePosition < 0 || vtablePosition % 2 != 0 || vtablePosition + 4 > length)
        {
            problem = $"vtable position {vtablePosition} is misaligned or outside the buffer";
            return false;
        }

        int vtableLength = BinaryPrimitives.ReadUInt16LittleEndian(buffer[(int)vtablePosition..]);
        int tableLength = BinaryPrimitives.ReadUInt16LittleEndian(buffer[((int)vtablePosition + 2)..]);
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

        table = new FlatBuffersSpanReader(buffer, buffer.Slice((int)vtablePosition, vtableLength), buffer.Slice((int)tablePosition, tableLength), tablePosition);
        problem = null;
        return true;
    }

    /// <summary>An int64 field (8-aligned inside the table); absent: 0, the schema's default.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadInt64(int fieldId, string name, out long value, [NotNullWhen(false)] out string? problem)
    {
        value = 0;
        problem = null;
        int offset = FieldOffset(fieldId);
        if (offset == 0)
        {
            return true;
        }

        if (offset + 8 > _table.Length || (_tablePosition + offset) % 8 != 0)
        {
            problem = $"{name} field at table offset {offset} is misaligned or outside the table";
            return false;
        }

        value = BinaryPrimitives.ReadInt64LittleEndian(_table[offset..]);
        return true;
    }

    /// <summary>
    /// A vector field's length and where its elements start; absent: length 0. The elements are not checked yet
    /// (<see cref="TryReadStructs"/>), so a caller can bound the length first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadVector(int fieldId, string name, out long elementsPosition, out uint length, [NotNullWhen(false)] out string? problem)
    {
        elementsPosition = 0;
        length = 0;
        problem = null;
        int field = FieldOffset(fieldId);
        if (field == 0)
        {
            return true;
        }

        long fieldPosition = _tablePosition + field;
        if (field + 4 > _table.Length || fieldPosition % 4 != 0)
        {
            problem = $"{name} field at table offset {field} is misaligned or outside the table";
            return false;
        }

        long vectorPosition = fieldPosition + BinaryPrimitives.ReadUInt32LittleEndian(_table[field..]);
        if (vectorPosition % 4 != 0 || vectorPosition + 4 > _buffer.Length)
        {
            problem = $"{name} vector at {vectorPosition} is misaligned or outside the {_buffer.Length}-byte buffer";
            return false;
        }

        length = BinaryPrimitives.ReadUInt32LittleEndian(_buffer[(int)vectorPosition..]);
        elementsPosition = vectorPosition + 4;
        return true;
    }

    /// <summary>The bytes of <paramref name="count"/> structs of <paramref name="structSize"/> bytes at <paramref name="position"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadStructs(long position, uint count, int structSize, string name, out ReadOnlySpan<byte> structs, [NotNullWhen(false)] out string? problem)
    {
        structs = default;
        long length = count * (long)structSize;
        if (position + length > _buffer.Length)
        {
            problem = $"{count} {name} at {position} run past the {_buffer.Length}-byte buffer";
            return false;
        }

        structs = _buffer.Slice((int)position, (int)length);
        problem = null;
        return true;
    }

    // 0 means "absent": the field takes its default. Slots beyond the vtable's length are absent too.
    private int FieldOffset(int fieldId)
    {
        int slot = 4 + (2 * fieldId);
        return slot + 2 <= _vtable.Length ? BinaryPrimitives.ReadUInt16LittleEndian(_vtable[slot..]) : 0;
    }
}
