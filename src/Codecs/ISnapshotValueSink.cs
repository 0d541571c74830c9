using System.Runtime.Intrinsics;

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

    /// <summary>
    /// An instrument's whole book at once, as twenty <see cref="Add"/>s of bids' (price, quantity) levels 0..4, then
    /// asks': each side's ten ints in lanes 0-9 in <see cref="PriceLevel"/>'s order, lanes 10-15 zero (what
    /// <see cref="MessagePack.MessagePackBookVectorReader"/> yields: the sum takes every lane).
    /// </summary>
    void AddBook(Vector512<int> bids, Vector512<int> asks);
}
