using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace ShmIpc.ShmRing;

/// <summary>
/// A process as (pid, start time): the start time (field 22 of /proc/PID/stat, clock ticks since boot) tells a
/// reused pid from the original. "Dead" is proven only by the kernel: no /proc entry, another start time, or a zombie.
/// </summary>
internal readonly record struct ProcessIdentity(int Pid, ulong StartTime)
{
    public static ProcessIdentity Current { get; } = new(
        Environment.ProcessId,
        TryReadStartTime(Environment.ProcessId, out ulong startTime, out _) ? startTime : throw new InvalidOperationException("cannot read /proc/self/stat"));

    public bool IsAlive() => IsAlive(Pid, StartTime, fullStartTime: true);

    /// <summary>Alive check against a start time that may be truncated to its low 32 bits (the owner words hold those).</summary>
    public static bool IsAlive(int pid, ulong startTime, bool fullStartTime)
    {
        if (pid <= 0 || !TryReadStartTime(pid, out ulong actual, out bool zombie) || zombie)
        {
            return false;
        }

        return fullStartTime ? actual == startTime : (uint)actual == (uint)startTime;
    }

    /// <summary>Reads field 22 of /proc/PID/stat. False if the process does not exist.</summary>
    public static bool TryReadStartTime(int pid, out ulong startTime, out bool zombie)
    {
        startTime = 0;
        zombie = false;
        Span<byte> buffer = stackalloc byte[1024];
        int length;
        try
        {
            using SafeFileHandle handle = File.OpenHandle($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            length = RandomAccess.Read(handle, buffer, 0);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        // Field 2 (comm) is in parentheses and may contain spaces or ')': fields 3.. follow the last ')'.
        ReadOnlySpan<byte> text = buffer[..length];
        int close = text.LastIndexOf((byte)')');
        if (close < 0)
        {
            return false;
        }

        text = text[(close + 1)..];
        int field = 2;
        while (!text.IsEmpty)
        {
            text = text.TrimStart((byte)' ');
            int end = text.IndexOfAny((byte)' ', (byte)'\n');
            ReadOnlySpan<byte> token = end < 0 ? text : text[..end];
            field++;
            if (field == 3)
            {
                zombie = token.Length == 1 && token[0] is (byte)'Z' or (byte)'X';
            }
            else if (field == 22)
            {
                return ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out startTime);
            }

            text = end < 0 ? default : text[end..];
        }

        return false;
    }
}
