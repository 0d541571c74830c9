namespace ShmIpc.NetTransports;

/// <summary>
/// Writes one frame's payload straight into the transport's send buffer and returns the number
/// of bytes written (0 to destination.Length). The state argument carries what the encoder needs
/// (the codec, the snapshot) so a static lambda can be used: no closure is allocated per message.
/// </summary>
public delegate int FrameEncoder<TState>(Span<byte> destination, TState state);
