using System.Runtime.Intrinsics;

namespace ShmIpc.Codecs.Protobuf;

/// <summary>
/// What the fast path (<see cref="ProtobufCanonicalReader"/>) hands instruments to: also takes one whose book the vector
/// book reader read, as its scalars and each side's ten ints in lanes 0-9 of a vector (lanes 10-15 of no use), so that the
/// book is never stored only to be loaded back.
/// </summary>
internal interface IInstrumentVectorConsumer : IInstrumentConsumer
{
    void Take(int index, int instrumentId, int lastPrice, long volume, long turnover, long exchangeTimestampNs, Vector512<int> bids, Vector512<int> asks);
}
