namespace ShmIpc.Codecs;

/// <summary>
/// Takes an instrument's values one by one in the canonical order (<see cref="SnapshotChecksum"/>'s): what a reader
/// that decodes value by value (MessagePack) feeds, so one walk of the schema serves both reading every field
/// (<see cref="SnapshotChecksum"/>) and decoding into the model (<see cref="InstrumentSnapshotBuilder"/>). Readers are
/// generic over a struct sink, so the JIT compiles one copy per sink and inlines <see cref="Add"/>: no indirection.
/// </summary>
internal interface ISnapshotValueSink
{
    void Add(long value);
}
