namespace ShmIpc.Codecs.Protobuf;

// Reuse support for the generated (partial) messages: proto3 C# codegen has no Clear(), and resetting
// the public properties alone leaves the private unknown-field set, which MergeFrom keeps appending
// to. A reused message would then grow without bound on input carrying unknown fields (the fuzz
// test's allocation bound caught it). These reset everything, unknown fields included.

/// <content>Reset for reuse.</content>
public sealed partial class Snapshot
{
    /// <summary>Resets every field to its default and drops unknown fields; keeps the instruments list's capacity.</summary>
    public void Clear()
    {
        sequence_ = 0;
        sendTimestampNs_ = 0;
        instruments_.Clear();
        _unknownFields = null;
    }

    /// <summary>Drops unknown fields only.</summary>
    public void ClearUnknownFields() => _unknownFields = null;
}

/// <content>Reset for reuse.</content>
public sealed partial class Instrument
{
    /// <summary>Drops unknown fields (set fields are overwritten by <see cref="ProtobufClassesSnapshotCodec.CopyTo(MarketSnapshot, Snapshot)"/>).</summary>
    public void ClearUnknownFields() => _unknownFields = null;
}
