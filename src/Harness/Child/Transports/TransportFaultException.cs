using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// The one exception the harness's transport adapters throw when their transport fails: a refused or reset
/// connection, a receiver that is gone, a listener that cannot bind, a segment that cannot be created or attached.
/// The message names the transport and says why (the library's own message); the library's exception
/// (<c>TransportException</c>, <c>RingException</c>) is the inner one. The command line prints the message as one
/// line; a child reports it to the parent as its error.
/// </summary>
internal sealed class TransportFaultException : Exception
{
    public TransportFaultException(TransportKind transport, string reason, Exception? innerException = null)
        : base($"{EnumNames.Of(transport)}: {reason}", innerException)
    {
        Transport = transport;
    }

    public TransportKind Transport { get; }
}
