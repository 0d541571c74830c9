namespace ShmIpc.Codecs.Protobuf;

/// <summary>
/// Takes each decoded instrument in order: the checksum when reading every field, the model when decoding. The reader
/// is generic over a struct consumer, so the JIT compiles one copy per consumer and inlines <see cref="Take"/>.
/// </summary>
internal interface IInstrumentConsumer
{
    void Take(int index, in InstrumentSnapshot instrument);
}
