using System.Runtime.InteropServices;

namespace ShmIpc.ShmRing.Interop;

/// <summary>
/// Linux futex on a word in shared memory, through libc's syscall(2). Shared (not FUTEX_PRIVATE) operations, because
/// the waiter and the waker are different processes mapping the same file.
/// </summary>
internal static unsafe partial class Futex
{
    private const int FutexWaitOperation = 0;
    private const int FutexWakeOperation = 1;

    private static readonly long SysFutex = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        _ => throw new PlatformNotSupportedException("futex syscall number is known for x64 and arm64 only"),
    };

    /// <summary>Sleeps while *<paramref name="word"/> == <paramref name="expected"/>, at most <paramref name="timeoutNanoseconds"/>.</summary>
    public static void Wait(int* word, int expected, long timeoutNanoseconds)
    {
        var timeout = new Timespec
        {
            Seconds = timeoutNanoseconds / 1_000_000_000,
            Nanoseconds = timeoutNanoseconds % 1_000_000_000,
        };

        // EAGAIN (the word already changed), EINTR and ETIMEDOUT all mean "look again": the caller loops.
        _ = Syscall(SysFutex, word, FutexWaitOperation, expected, &timeout, null, 0);
    }

    public static void Wake(int* word, int waiters) => _ = Syscall(SysFutex, word, FutexWakeOperation, waiters, null, null, 0);

    // syscall(2) is variadic in C; on x86-64 and arm64 integer arguments travel in the same registers either way.
    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Syscall(long number, int* word, int operation, int value, Timespec* timeout, int* word2, int value3);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
