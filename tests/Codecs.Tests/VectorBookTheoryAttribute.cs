using ShmIpc.Codecs.MessagePack;
using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.Codecs.Tests;

/// <summary>
/// A test of the vector book readers and writers (<see cref="ProtobufBookVectorReader"/>,
/// <see cref="MessagePackBookVectorReader"/>, <see cref="ProtobufBookVectorWriter"/>, ...): skipped, saying why, on a
/// CPU without the AVX-512 extensions they use (they are then never called, and the value by value paths read and write
/// every book); run everywhere else.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class VectorBookTheoryAttribute : TheoryAttribute
{
    public VectorBookTheoryAttribute()
    {
        if (!ProtobufBookVectorReader.IsSupported || !MessagePackBookVectorReader.IsSupported || !ProtobufBookVectorWriter.IsSupported)
        {
            Skip = "this CPU lacks AVX-512 VBMI, VBMI2 or CD: the vector book readers and writers are not used here";
        }
    }
}
