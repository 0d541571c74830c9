using System.Buffers;

namespace ShmIpc.NetTransports;

/// <summary>
/// Called by a subscriber with one frame's payload, in place in the transport's receive buffer.
/// The sequence is valid only during the call (the buffer is reused right after), and may span
/// several segments (a frame split across receive buffers is never copied to make it contiguous).
/// Called on the connection's receive loop: calls for one connection are sequential and in send
/// order; calls for different connections may run at the same time on different threads.
/// An exception thrown by the handler is treated as bad input: logged, and that connection closed.
/// </summary>
public delegate void FrameHandler(in ReadOnlySequence<byte> payload);
