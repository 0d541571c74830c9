using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace ShmIpc.ShmRing;

/// <summary>
/// One ring's /dev/shm file: created exclusively (or attached), its header written or validated, mapped once.
/// Knows the header (line 0); the hot lines and records belong to <see cref="RingProducer"/> and <see cref="RingConsumer"/>.
/// </summary>
internal sealed class RingSegment : IDisposable
{
    /// <summary>How long an attacher waits for a creator that is still initializing the header.</summary>
    private static readonly TimeSpan InitializationWait = TimeSpan.FromSeconds(2);

    private readonly bool _unlinkOnDispose;
    private readonly long _creationTime;
    private bool _disposed;

    private RingSegment(string name, string path, MappedFile file, bool isCreator, bool unlinkOnDispose)
    {
        Name = name;
        Path = path;
        File = file;
        IsCreator = isCreator;
        _unlinkOnDispose = unlinkOnDispose;
        Kind = (RingKind)file.At<uint>(RingLayout.KindOffset);
        Capacity = (long)file.At<ulong>(RingLayout.CapacityOffset);
        MaxRecordSize = (int)file.At<uint>(RingLayout.MaxRecordSizeOffset);
        TagKey = file.At<ulong>(RingLayout.TagKeyOffset);
        _creationTime = file.At<long>(RingLayout.CreationTimeOffset);
    }

    public string Name { get; }

    public string Path { get; }

    public MappedFile File { get; }

    public bool IsCreator { get; }

    public RingKind Kind { get; }

    public long Capacity { get; }

    public int MaxRecordSize { get; }

    public ulong TagKey { get; }

    [SupportedOSPlatform("linux")]
    public static RingSegment Create(string name, RingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string path = SegmentName.ToPath(name);
        options.Validate();
        for (int attempt = 0; ; attempt++)
        {
            FileStream? stream = TryCreateExclusive(path, options.FileAccess);
            if (stream is not null)
            {
                return Initialize(name, path, stream, options);
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

        MappedFile? file = null;
        try
        {
            long length = stream.Length;
            if (length < RingLayout.DataOffset)
            {
                throw new RingException(RingError.FormatMismatch, name, $"file is {length} bytes, smaller than the {RingLayout.DataOffset}-byte header");
            }

            file = new MappedFile(stream, length);
            WaitForMagic(file);
            ValidateHeader(name, file, length, options);
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

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        int creatorPid = File.At<int>(RingLayout.CreatorPidOffset);
        File.Dispose();
        if (IsCreator && _unlinkOnDispose && IsStillOurs(Path, creatorPid, _creationTime))
        {
            System.IO.File.Delete(Path);
        }
    }

    [SupportedOSPlatform("linux")]
    private static FileStream? TryCreateExclusive(string path, RingFileAccess access)
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
            });

            // open(2) applies the umask to the create mode (0660 would become 0640 under umask 022): set it exactly.
            System.IO.File.SetUnixFileMode(stream.SafeFileHandle, mode);
            return stream;
        }
        catch (IOException) when (System.IO.File.Exists(path))
        {
            return null;
        }
    }

    [SupportedOSPlatform("linux")]
    private static RingSegment Initialize(string name, string path, FileStream stream, RingOptions options)
    {
        MappedFile? file = null;
        try
        {
            long length = RingLayout.DataOffset + (long)options.Capacity;
            stream.SetLength(length);
            file = new MappedFile(stream, length);

            // The creator's identity first: a process finding this file before the magic appears can still tell
            // a dead creator's leftover from one being initialized.
            ProcessIdentity creator = ProcessIdentity.Current;
            file.At<int>(RingLayout.CreatorPidOffset) = creator.Pid;
            file.At<ulong>(RingLayout.CreatorStartTimeOffset) = creator.StartTime;
            file.Prefault(write: true);
            file.At<uint>(RingLayout.VersionOffset) = RingLayout.Version;
            file.At<uint>(RingLayout.KindOffset) = (uint)options.Kind;
            file.At<ulong>(RingLayout.CapacityOffset) = (ulong)options.Capacity;
            file.At<uint>(RingLayout.MaxRecordSizeOffset) = (uint)options.MaxRecordSize;
            file.At<uint>(RingLayout.ProducerSlotCountOffset) = RingLayout.ProducerSlotCount;
            file.At<ulong>(RingLayout.DataOffsetOffset) = RingLayout.DataOffset;
            file.At<ulong>(RingLayout.FileLengthOffset) = (ulong)length;
            file.At<ulong>(RingLayout.TagKeyOffset) = NewTagKey();
            file.At<long>(RingLayout.CreationTimeOffset) = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

            // Release: every field above is visible to whoever reads the magic (attach acquires it).
            Volatile.Write(ref file.At<ulong>(RingLayout.MagicOffset), RingLayout.Magic);
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

    private static void WaitForMagic(MappedFile file)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(InitializationWait.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref file.At<ulong>(RingLayout.MagicOffset)) == 0 && Stopwatch.GetTimestamp() < deadline)
        {
            int creatorPid = Volatile.Read(ref file.At<int>(RingLayout.CreatorPidOffset));
            if (creatorPid != 0 && !ProcessIdentity.IsAlive(creatorPid, file.At<ulong>(RingLayout.CreatorStartTimeOffset), fullStartTime: true))
            {
                return; // the creator died while initializing: the magic never comes; validation reports it
            }

            Thread.Sleep(1);
        }
    }

    private static void ValidateHeader(string name, MappedFile file, long length, RingOptions options)
    {
        ulong magic = Volatile.Read(ref file.At<ulong>(RingLayout.MagicOffset));
        if (magic != RingLayout.Magic)
        {
            throw new RingException(RingError.FormatMismatch, name, $"magic is 0x{magic:X16}, expected 0x{RingLayout.Magic:X16} (not an initialized ring segment)");
        }

        Expect(name, "layout version", file.At<uint>(RingLayout.VersionOffset), RingLayout.Version);
        uint kind = file.At<uint>(RingLayout.KindOffset);
        if (kind != (uint)options.Kind)
        {
            throw new RingException(RingError.FormatMismatch, name, $"kind is {(RingKind)kind} ({kind}), expected {options.Kind} ({(uint)options.Kind})");
        }

        Expect(name, "capacity", file.At<ulong>(RingLayout.CapacityOffset), (ulong)options.Capacity);
        Expect(name, "max record size", file.At<uint>(RingLayout.MaxRecordSizeOffset), (ulong)options.MaxRecordSize);
        Expect(name, "producer slot count", file.At<uint>(RingLayout.ProducerSlotCountOffset), RingLayout.ProducerSlotCount);
        Expect(name, "data offset", file.At<ulong>(RingLayout.DataOffsetOffset), RingLayout.DataOffset);
        Expect(name, "file length field", file.At<ulong>(RingLayout.FileLengthOffset), RingLayout.DataOffset + (ulong)options.Capacity);
        Expect(name, "file length", (ulong)length, RingLayout.DataOffset + (ulong)options.Capacity);
        if ((file.At<ulong>(RingLayout.TagKeyOffset) & 1) == 0)
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
    private static bool IsStillOurs(string path, int creatorPid, long creationTime)
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
