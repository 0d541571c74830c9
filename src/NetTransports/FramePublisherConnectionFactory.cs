namespace ShmIpc.NetTransports;

/// <summary>
/// Opens connection <paramref name="index"/> of a <see cref="FramePublisher"/>'s pool: what one byte transport adds to
/// the publisher. The task completes with a connected connection, or fails with <see cref="TransportException"/>
/// having released whatever it opened.
/// </summary>
internal delegate Task<IFramePublisherConnection> FramePublisherConnectionFactory(int index, CancellationToken cancellationToken);
