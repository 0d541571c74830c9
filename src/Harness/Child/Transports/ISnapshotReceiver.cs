namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// The receiver process's view of a transport: it is listening (or has created its segment) once
/// constructed, reads every field of each snapshot that arrives and reports it to the
/// <see cref="Measurement.LatencyRecorder"/> it was given, until disposed.
/// </summary>
internal interface ISnapshotReceiver : IAsyncDisposable
{
    /// <summary>What the sender needs to reach this receiver: host:port, or a segment name.</summary>
    string Endpoint { get; }

    /// <summary>Frames or connections the transport rejected (bad input, resets).</summary>
    long TransportErrors { get; }

    /// <summary>True once the transport failed for good and nothing more can arrive (the shm ring reported corruption).</summary>
    bool Failed { get; }

    /// <summary>Records the transport itself knows this receiver missed (a lossy broadcast consumer lapped by its sender); 0 for the others.</summary>
    long MissedRecords => 0;
}
