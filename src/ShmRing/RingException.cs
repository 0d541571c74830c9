namespace ShmIpc.ShmRing;

/// <summary>
/// The one exception for a problem with a segment: its file, header or contents. The message names the segment and
/// what differs. Bad arguments (an invalid name, a record too large) throw <see cref="ArgumentException"/> before
/// anything is touched.
/// </summary>
public sealed class RingException : Exception
{
    public RingException()
    {
    }

    public RingException(string message)
        : base(message)
    {
    }

    public RingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RingException(RingError error, string segmentName, string message, Exception? innerException = null)
        : base($"ring segment '{segmentName}': {message}", innerException)
    {
        Error = error;
        SegmentName = segmentName;
    }

    public RingError Error { get; }

    public string SegmentName { get; } = "";
}
