using System.Runtime.InteropServices;

namespace ShmIpc.NetTransports.UnixSockets;

/// <summary>
/// What <see cref="UnixSocketFile"/> needs to know of a path that .NET does not say: its owner and its file type (a
/// socket, a directory, a symbolic link), read with Linux's statx(2) without following a final symbolic link. statx's
/// layout is the same on every architecture, unlike stat's. DllImport with blittable arguments: no unsafe code.
/// </summary>
internal readonly record struct FileStatus(uint OwnerId, FileStatus.Kind Type, UnixFileMode Permissions)
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;
    private const int NoSuchFile = 2;
    private const ushort TypeMask = 0xF000;

    /// <summary>The file types (st_mode &amp; S_IFMT) this code tells apart.</summary>
    public enum Kind
    {
        Other = 0,
        Socket = 0xC000,
        SymbolicLink = 0xA000,
        Directory = 0x4000,
    }

    /// <summary>The effective user id of this process: whose directory and socket file they must be.</summary>
    public static uint CurrentUserId => GetEffectiveUserId();

    /// <summary>The status of <paramref name="path"/> (not following a final symbolic link); false if nothing is there.</summary>
    public static bool TryRead(string path, out FileStatus status)
    {
        status = default;
        if (Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxType | StatxMode | StatxUid, out StatxBuffer buffer) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            return error == NoSuchFile
                ? false
                : throw new TransportException($"cannot read the status of {path}: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        int type = buffer.Mode & TypeMask;
        Kind kind = Enum.IsDefined((Kind)type) ? (Kind)type : Kind.Other;
        status = new FileStatus(buffer.OwnerId, kind, (UnixFileMode)(buffer.Mode & 0x1FF));
        return true;
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, out StatxBuffer buffer);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    /// <summary>struct statx (linux/stat.h): the leading fields read here; 256 bytes in all.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private readonly struct StatxBuffer
    {
        public readonly uint Mask;
        public readonly uint BlockSize;
        public readonly ulong Attributes;
        public readonly uint LinkCount;
        public readonly uint OwnerId;
        public readonly uint GroupId;
        public readonly ushort Mode;
    }
}
