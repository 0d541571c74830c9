using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;

namespace ShmIpc.ShmRing;

/// <summary>
/// A file mapped once, shared, read-write; the only place the ring holds a raw pointer. Accessors take a byte offset
/// and are bounds-checked against the mapped length only in debug builds: callers (the typed accessors, at RingLayout's
/// offsets and positions masked by the capacity) keep offsets inside the file.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _handle;
    private byte* _base;

    public MappedFile(FileStream file, long length)
    {
        Length = length;
        _handle = file.SafeFileHandle;
        _map = MemoryMappedFile.CreateFromFile(file, mapName: null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        _view = _map.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);

        // The view starts on a page boundary; PointerOffset is the distance to the requested offset (0 here).
        _base = pointer + _view.PointerOffset;
    }

    public long Length { get; }

    /// <summary>
    /// The file's size now (fstat): below <see cref="Length"/>, someone truncated it and touching the mapping past the
    /// new end raises SIGBUS, which .NET cannot survive.
    /// </summary>
    public long CurrentFileLength() => RandomAccess.GetLength(_handle);

    /// <summary>A reference to the <typeparamref name="T"/> at <paramref name="offset"/>, for Volatile/Interlocked access.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T At<T>(long offset)
        where T : unmanaged
    {
        System.Diagnostics.Debug.Assert(offset >= 0 && offset + sizeof(T) <= Length, "offset outside the mapping");
        return ref Unsafe.AsRef<T>(_base + offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Span(long offset, int length)
    {
        System.Diagnostics.Debug.Assert(offset >= 0 && offset + length <= Length, "span outside the mapping");
        return new Span<byte>(_base + offset, length);
    }

    /// <summary>Sleeps on the u32 at <paramref name="offset"/> while it equals <paramref name="expected"/> (bounded by the timeout).</summary>
    public void FutexWait(long offset, int expected, long timeoutNanoseconds)
        => Interop.Futex.Wait((int*)(_base + offset), expected, timeoutNanoseconds);

    /// <summary>Wakes every process sleeping on the u32 at <paramref name="offset"/> (a ring has one consumer, a broadcast many).</summary>
    public void FutexWake(long offset) => Interop.Futex.Wake((int*)(_base + offset), int.MaxValue);

    /// <summary>Touches every page so the first lap of the ring takes no page faults.</summary>
    public void Prefault(bool write)
    {
        for (long offset = 0; offset < Length; offset += Environment.SystemPageSize)
        {
            if (write)
            {
                Volatile.Write(ref _base[offset], Volatile.Read(ref _base[offset]));
            }
            else
            {
                _ = Volatile.Read(ref _base[offset]);
            }
        }
    }

    public void Dispose()
    {
        if (_base != null)
        {
            _base = null;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
        }

        _view.Dispose();
        _map.Dispose();
    }
}
