namespace ShmIpc.NetTransports;

/// <summary>
/// The one exception type the transports throw: a listener that cannot bind, a refused or timed-out
/// connection, a peer gone mid-run, or a frame that breaks the framing rules. The message names what
/// went wrong and where (address, connection, byte counts).
/// </summary>
public sealed class TransportException : Exception
{
    /// <summary>Creates an exception with no message (required by the analyzers; prefer the others).</summary>
    public TransportException()
    {
    }

    /// <summary>Creates an exception with a message naming what is wrong.</summary>
    public TransportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message naming what is wrong, wrapping the cause.</summary>
    public TransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
