namespace ShmIpc.ShmRing;

/// <summary>
/// The one exception for a problem with a segment: its file, header or contents. The message names the segment and
/// what differs. Bad arguments (an invalid name, a record too large) throw <see cref="ArgumentException"/> before
/// anything is touched.
/// </summary>
public sealed class RingException : Exception
{
    /// <summary>An error with no detail.</summary>
    public RingException()
    {
    }

    /// <summary>An error with a message.</summary>
    public RingException(string message)
        : base(message)
    {
    }

    /// <summary>An error with a message and its cause.</summary>
    public RingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An error of kind <paramref name="error"/> on segment <paramref name="segmentName"/>; the message names both.</summary>
    public RingException(RingError error, string segmentName, string message, Exception? innerException = null)
        : base($"ring segment '{segmentName}': {message}", innerException)
    {
        Error = error;
        SegmentName = segmentName;
    }

    /// <summary>What kind of problem it is (test it rather than the message).</summary>
    public RingError Error { get; }

    /// <summary>The ring's name, or empty when the error names no segment.</summary>
    public string SegmentName { get; } = "";
}
