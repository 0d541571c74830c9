using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ShmIpc.Codecs;

/// <summary>
/// The one exception every decoder throws for bad input (truncated, out-of-bounds lengths or
/// counts, wrong version or identifier, garbage). The message names the codec and the problem.
/// </summary>
public sealed class SnapshotFormatException : Exception
{
    /// <summary>An error with no detail.</summary>
    public SnapshotFormatException()
        : base("Invalid snapshot encoding.")
    {
        CodecName = string.Empty;
    }

    /// <summary>An error with a message.</summary>
    public SnapshotFormatException(string message)
        : base(message)
    {
        CodecName = string.Empty;
    }

    /// <summary>An error with a message and its cause.</summary>
    public SnapshotFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        CodecName = string.Empty;
    }

    /// <summary>An error of codec <paramref name="codecName"/>: the message names the codec and what is wrong.</summary>
    public SnapshotFormatException(string codecName, string problem, Exception? innerException = null)
        : base($"{codecName} snapshot: {problem}", innerException)
    {
        CodecName = codecName;
    }

    /// <summary>The codec that rejected the input (e.g. "raw"), or empty.</summary>
    public string CodecName { get; }

    /// <summary>Throws for bad input: out of line, so a reader's hot path carries only the call.</summary>
    [DoesNotReturn]
    [StackTraceHidden]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Throw(string codecName, string problem) => throw new SnapshotFormatException(codecName, problem);
}
