using ShmIpc.Codecs.MessagePack;
using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.Codecs.Tests;

/// <summary>
/// A test of the vector book readers (<see cref="ProtobufBookVectorReader"/>, <see cref="MessagePackBookVectorReader"/>):
/// skipped, saying why, on a CPU without AVX-512 VBMI and VBMI2 (the readers are then never called, and the value by
/// value paths read every book); run everywhere else.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class VectorBookTheoryAttribute : TheoryAttribute
{
    public VectorBookTheoryAttribute()
    {
        if (!ProtobufBookVectorReader.IsSupported || !MessagePackBookVectorReader.IsSupported)
        {
            Skip = "this CPU has no AVX-512 VBMI and VBMI2: the vector book readers are not used here";
        }
    }
}
