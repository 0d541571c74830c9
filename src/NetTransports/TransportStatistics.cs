namespace ShmIpc.NetTransports;

/// <summary>A subscriber's counters at one moment, summed over all its connections since it started.</summary>
/// <param name="Frames">Frames (or messages) handed to the handler.</param>
/// <param name="PayloadBytes">Payload bytes handed to the handler (frame headers not counted).</param>
/// <param name="ConnectionsAccepted">Connections (HTTP/2: request streams) accepted.</param>
/// <param name="ConnectionsOpen">Connections (HTTP/2: request streams) open now.</param>
/// <param name="Errors">Connections closed because of bad input, a handler exception or a transport error.</param>
public readonly record struct TransportStatistics(long Frames, long PayloadBytes, long ConnectionsAccepted, long ConnectionsOpen, long Errors);
