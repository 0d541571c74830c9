using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace ShmIpc.ShmRing;

/// <summary>
/// One ring's /dev/shm file: created exclusively (or attached), its header written or validated, mapped once.
/// Knows the descriptor (line 0); the hot lines and records belong to <see cref="RingProducer"/> and
/// <see cref="RingConsumer"/>, which reach them through <see cref="Header"/> and <see cref="Data"/>.
/// </summary>
internal sealed class RingSegment : IDisposable
{
    /// <summary>How long an attacher waits for a creator that is still initializing the header.</summary>
    private static readonly TimeSpan InitializationWait = TimeSpan.FromSeconds(2);

    private readonly MappedFile _file;
    private readonly bool _unlinkOnDispose;
    private readonly long _creationTime;
    private bool _disposed;

    private RingSegment(string name, string path, MappedFile file, bool isCreator, bool unlinkOnDispose)
    {
        Name = name;
        Path = path;
        _file = file;
        IsCreator = isCreator;
        _unlinkOnDispose = unlinkOnDispose;
        Header = new RingHeader(file);
        Kind = (RingKind)Header.Kind;
        MaxRecordSize = (int)Header.MaxRecordSize;
        Data = new DataRegion(file, (long)Header.Capacity, Header.TagKey);
        _creationTime = Header.CreationTime;
    }

    public string Name { get; }

    public string Path { get; }

    public bool IsCreator { get; }

    public RingKind Kind { get; }

    public int MaxRecordSize { get; }

    /// <summary>The header fields, read and written in place.</summary>
    public RingHeader Header { get; }

    /// <summary>The records, with the capacity and tag key validated at attach (never re-read from the header).</summary>
    public DataRegion Data { get; }

    [SupportedOSPlatform("linux")]
    public static RingSegment Create(string name, RingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string path = SegmentName.ToPath(name);
        options.Validate();
        long length = RingLayout.DataOffset + (long)options.Capacity;
        for (int attempt = 0; ; attempt++)
        {
            FileStream? stream = TryCreateExclusive(name, path, length, options.FileAccess);
            if (stream is not null)
            {
                return Initialize(name, path, stream, length, options);
            }

            // The file exists: refuse (live or refused stale creator) or unlink it and try again.
            HandleExistingSegment(name, path, options.StaleSegment);
            if (attempt == 3)
            {
                throw new RingException(RingError.SegmentExists, name, $"{path} keeps reappearing while being reclaimed");
            }
        }
    }

    [SupportedOSPlatform("linux")]
    public static RingSegment Attach(string name, RingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string path = SegmentName.ToPath(name);
        options.Validate();
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, System.IO.FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (FileNotFoundException exception)
        {
            throw new RingException(RingError.SegmentNotFound, name, $"{path} does not exist", exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new RingException(RingError.AccessDenied, name, $"{path} exists but this user may not open it for reading and writing (mode {OctalMode(path)}; see RingOptions.FileAccess)", exception);
        }

        MappedFile? file = null;
        try
        {
            long length = stream.Length;
            if (length < RingLayout.DataOffset)
            {
                throw new RingException(RingError.FormatMismatch, name, $"{path} is {length} bytes, smaller than the {RingLayout.DataOffset}-byte header (not a ring, or truncated)");
            }

            file = new MappedFile(stream, length);
            WaitForMagic(new RingHeader(file));
            ValidateHeader(name, path, new RingHeader(file), length, options);
            file.Prefault(write: false);
            return new RingSegment(name, path, file, isCreator: false, unlinkOnDispose: false);
        }
        catch
        {
            if (file is null)
            {
                stream.Dispose();
            }
            else
            {
                file.Dispose();
            }

            throw;
        }
    }

    /// <summary>True if the file is now shorter than the mapping (someone truncated it): the mapping must not be touched.</summary>
    public bool IsTruncated => _file.CurrentFileLength() < _file.Length;

    /// <summary>
    /// Throws if the file was truncated under the mapping: called before the mapping is touched outside the hot path
    /// (each peer check), so a truncated ring ends in an exception instead of a SIGBUS. docs/reliability.md says what
    /// it cannot catch (a truncate between this check and the access).
    /// </summary>
    /// <exception cref="RingException">Truncated.</exception>
    public void ThrowIfTruncated()
    {
        long actual = _file.CurrentFileLength();
        if (actual < _file.Length)
        {
            throw new RingException(RingError.Truncated, Name, $"{Path} is {actual} bytes, shorter than the {_file.Length} bytes mapped (truncated while in use); the ring cannot be used any more");
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // A truncated file's header may be gone: not read (no SIGBUS), and not unlinked (it is not provably ours).
        bool truncated = IsTruncated;
        int creatorPid = truncated ? 0 : Header.CreatorPid;
        _file.Dispose();
        if (!truncated && IsCreator && _unlinkOnDispose && IsStillOurs(Path, creatorPid, _creationTime))
        {
            System.IO.File.Delete(Path);
        }
    }

    [SupportedOSPlatform("linux")]
    private static FileStream? TryCreateExclusive(string name, string path, long length, RingFileAccess access)
    {
        UnixFileMode mode = access == RingFileAccess.OwnerAndGroup
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
            : UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = System.IO.FileAccess.ReadWrite,
                Share = FileShare.ReadWrite,
                UnixCreateMode = mode,

                // Every page allocated now (fallocate): a tmpfs without room for them fails here, with an error,
                // instead of with SIGBUS at the first touch of a page it cannot supply (the prefault, or a record).
                PreallocationSize = length,
            });

            // open(2) applies the umask to the create mode (0660 would become 0640 under umask 022): set it exactly.
            System.IO.File.SetUnixFileMode(stream.SafeFileHandle, mode);
            return stream;
        }
        catch (IOException) when (System.IO.File.Exists(path))
        {
            return null;
        }
        catch (IOException exception)
        {
            // Not created (FileStream removes a file it could not preallocate): most likely the file system is full.
            throw new RingException(RingError.NoSpace, name, $"cannot allocate {length} bytes for {path} ({exception.Message}); {FreeBytes()} bytes are free in {SegmentName.Directory}", exception);
        }
    }

    [SupportedOSPlatform("linux")]
    private static string OctalMode(string path) => "0" + Convert.ToString((int)System.IO.File.GetUnixFileMode(path), 8);

    private static string FreeBytes()
    {
        try
        {
            return new DriveInfo(SegmentName.Directory).AvailableFreeSpace.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return "an unknown number of";
        }
    }

    [SupportedOSPlatform("linux")]
    private static RingSegment Initialize(string name, string path, FileStream stream, long length, RingOptions options)
    {
        MappedFile? file = null;
        try
        {
            stream.SetLength(length);
            file = new MappedFile(stream, length);

            // The creator's identity first: a process finding this file before the magic appears can still tell
            // a dead creator's leftover from one being initialized.
            ProcessIdentity creator = ProcessIdentity.Current;
            var header = new RingHeader(file);
            header.CreatorPid = creator.Pid;
            header.CreatorStartTime = creator.StartTime;
            file.Prefault(write: true);
            header.Version = RingLayout.Version;
            header.Kind = (uint)options.Kind;
            header.Capacity = (ulong)options.Capacity;
            header.MaxRecordSize = (uint)options.MaxRecordSize;
            header.ProducerSlotCount = RingLayout.ProducerSlotCount;
            header.DataOffset = RingLayout.DataOffset;
            header.FileLength = (ulong)length;
            header.TagKey = NewTagKey();
            if (options.Kind == RingKind.Broadcast)
            {
                new Broadcast.BroadcastHeader(file).Policy = (uint)options.SlowConsumer;
            }

            header.CreationTime = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

            // SYNC POINT release, partner the attacher's acquire of the magic (WaitForMagic, ValidateHeader): every
            // field above is visible to whoever reads the magic.
            Volatile.Write(ref header.Magic, RingLayout.Magic);
            return new RingSegment(name, path, file, isCreator: true, unlinkOnDispose: !options.KeepSegmentOnDispose);
        }
        catch
        {
            if (file is null)
            {
                stream.Dispose();
            }
            else
            {
                file.Dispose();
            }

            System.IO.File.Delete(path);
            throw;
        }
    }

    private static ulong NewTagKey()
    {
        Span<byte> random = stackalloc byte[sizeof(ulong)];
        RandomNumberGenerator.Fill(random);

        // Odd, so that the tag of any position (a multiple of 64) is never 0, the content of a fresh file.
        return BinaryPrimitives.ReadUInt64LittleEndian(random) | 1;
    }

    private static void WaitForMagic(RingHeader header)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(InitializationWait.TotalSeconds * Stopwatch.Frequency);

        // SYNC POINT acquire, partner the creator's release store of the magic (Initialize).
        while (Volatile.Read(ref header.Magic) == 0 && Stopwatch.GetTimestamp() < deadline)
        {
            // Written first by the creator, before its pages are touched: no partner, a plain sign of a creator.
            int creatorPid = Volatile.Read(ref header.CreatorPid);
            if (creatorPid != 0 && !ProcessIdentity.IsAlive(creatorPid, header.CreatorStartTime, fullStartTime: true))
            {
                return; // the creator died while initializing: the magic never comes; validation reports it
            }

            Thread.Sleep(1);
        }
    }

    private static void ValidateHeader(string name, string path, RingHeader header, long length, RingOptions options)
    {
        // SYNC POINT acquire, partner the creator's release store of the magic (Initialize).
        ulong magic = Volatile.Read(ref header.Magic);
        if (magic != RingLayout.Magic)
        {
            throw new RingException(RingError.FormatMismatch, name, $"magic is 0x{magic:X16}, expected 0x{RingLayout.Magic:X16} (not an initialized ring segment)");
        }

        Expect(name, "layout version", header.Version, RingLayout.Version);
        uint kind = header.Kind;
        if (kind != (uint)options.Kind)
        {
            throw new RingException(RingError.FormatMismatch, name, $"kind is {(RingKind)kind} ({kind}), expected {options.Kind} ({(uint)options.Kind})");
        }

        Expect(name, "capacity", header.Capacity, (ulong)options.Capacity);
        Expect(name, "max record size", header.MaxRecordSize, (ulong)options.MaxRecordSize);
        Expect(name, "producer slot count", header.ProducerSlotCount, RingLayout.ProducerSlotCount);
        Expect(name, "data offset", header.DataOffset, RingLayout.DataOffset);
        Expect(name, "file length field", header.FileLength, RingLayout.DataOffset + (ulong)options.Capacity);
        ulong expectedLength = RingLayout.DataOffset + (ulong)options.Capacity;
        if ((ulong)length != expectedLength)
        {
            throw new RingException(RingError.FormatMismatch, name, $"{path} is {length} bytes, expected {expectedLength} ({RingLayout.DataOffset}-byte header + capacity; truncated or grown)");
        }

        if (kind == (uint)RingKind.Broadcast)
        {
            uint policy = new Broadcast.BroadcastHeader(header.File).Policy;
            if (policy != (uint)options.SlowConsumer)
            {
                throw new RingException(RingError.FormatMismatch, name, $"slow consumer policy is {(SlowConsumerPolicy)policy} ({policy}), expected {options.SlowConsumer} ({(uint)options.SlowConsumer})");
            }
        }

        if ((header.TagKey & 1) == 0)
        {
            throw new RingException(RingError.FormatMismatch, name, "tag key is even, expected odd");
        }
    }

    private static void Expect(string name, string field, ulong actual, ulong expected)
    {
        if (actual != expected)
        {
            throw new RingException(RingError.FormatMismatch, name, $"{field} is {actual}, expected {expected}");
        }
    }

    /// <summary>Decides about an existing file: throws if it must be kept, unlinks it if it is a dead creator's leftover.</summary>
    [SupportedOSPlatform("linux")]
    private static void HandleExistingSegment(string name, string path, StaleSegmentPolicy policy)
    {
        Span<byte> header = stackalloc byte[RingLayout.LineLength];
        int read;
        long deadline = Stopwatch.GetTimestamp() + (long)(InitializationWait.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                using Microsoft.Win32.SafeHandles.SafeFileHandle handle = System.IO.File.OpenHandle(path);
                read = RandomAccess.Read(handle, header, 0);
            }
            catch (FileNotFoundException)
            {
                return; // gone meanwhile: try creating again
            }
            catch (UnauthorizedAccessException exception)
            {
                throw new RingException(RingError.AccessDenied, name, $"{path} exists and this user may not read it (mode {OctalMode(path)}): whether it is stale cannot be told; its owner must remove it", exception);
            }

            // A creator writes its pid before anything else; give one that is just starting a moment.
            if (read >= RingLayout.LineLength && BinaryPrimitives.ReadInt32LittleEndian(header[RingLayout.CreatorPidOffset..]) != 0)
            {
                break;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new RingException(RingError.SegmentExists, name, $"{path} exists and is not a ring segment (no creator pid); remove it if it is stale");
            }

            Thread.Sleep(1);
        }

        ulong magic = BinaryPrimitives.ReadUInt64LittleEndian(header);
        if (magic != 0 && magic != RingLayout.Magic)
        {
            throw new RingException(RingError.SegmentExists, name, $"{path} exists and is not a ring segment (magic 0x{magic:X16})");
        }

        int creatorPid = BinaryPrimitives.ReadInt32LittleEndian(header[RingLayout.CreatorPidOffset..]);
        ulong creatorStartTime = BinaryPrimitives.ReadUInt64LittleEndian(header[RingLayout.CreatorStartTimeOffset..]);
        if (ProcessIdentity.IsAlive(creatorPid, creatorStartTime, fullStartTime: true))
        {
            throw new RingException(RingError.SegmentExists, name, $"{path} exists and its creator pid {creatorPid} is alive");
        }

        if (policy == StaleSegmentPolicy.Refuse)
        {
            throw new RingException(RingError.StaleSegment, name, $"{path} was left by creator pid {creatorPid}, which is dead; remove it or create with StaleSegmentPolicy.Reclaim");
        }

        System.IO.File.Delete(path);
    }

    /// <summary>True if the file at <paramref name="path"/> is still the one this creator made (not reclaimed and recreated).</summary>
    internal static bool IsStillOurs(string path, int creatorPid, long creationTime)
    {
        Span<byte> header = stackalloc byte[RingLayout.LineLength];
        try
        {
            using Microsoft.Win32.SafeHandles.SafeFileHandle handle = System.IO.File.OpenHandle(path);
            if (RandomAccess.Read(handle, header, 0) < RingLayout.LineLength)
            {
                return false;
            }
        }
        catch (FileNotFoundException)
        {
            return false;
        }

        return BinaryPrimitives.ReadInt32LittleEndian(header[RingLayout.CreatorPidOffset..]) == creatorPid
            && BinaryPrimitives.ReadInt64LittleEndian(header[RingLayout.CreationTimeOffset..]) == creationTime;
    }
}
