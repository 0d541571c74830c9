using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.Codecs.Tests.Protobuf;

/// <summary>
/// A test of <see cref="ProtobufBookVectorReader"/>: skipped, saying why, on a CPU without AVX-512 VBMI and VBMI2
/// (the reader is then never called, and the field-by-field path reads every book); run everywhere else.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class VectorBookTheoryAttribute : TheoryAttribute
{
    public VectorBookTheoryAttribute()
    {
        if (!ProtobufBookVectorReader.IsSupported)
        {
            Skip = "this CPU has no AVX-512 VBMI2: the vector book reader is not used here";
        }
    }
}
