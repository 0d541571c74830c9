using System.Buffers;
using System.Text.Json;

namespace ShmIpc.NetTransports.Tests.Interop;

/// <summary>
/// What one side of an interop test saw: frames, bytes and the sum of their FNV-1a hashes (<see cref="InteropFrames"/>),
/// counted from payloads our subscriber handed over (any thread) or from a Node server's JSON reports.
/// </summary>
internal sealed class InteropTally
{
    private readonly Lock _gate = new();
    private uint _hashSum;
    private long _bytes;
    private int _frames;

    public int Frames => Volatile.Read(ref _frames);

    /// <summary>A subscriber's frame handler counting here.</summary>
    public void Record(in ReadOnlySequence<byte> payload)
    {
        uint hash = InteropFrames.Fnv1a32(payload);
        lock (_gate)
        {
            _hashSum += hash;
            _bytes += payload.Length;
            _frames++;
        }
    }

    /// <summary>One Node report line: {"frames":N,"hashSum":H,"bytes":Y,...}.</summary>
    public void Add(JsonElement report)
    {
        lock (_gate)
        {
            _frames += report.GetProperty("frames").GetInt32();
            _bytes += report.GetProperty("bytes").GetInt64();
            _hashSum += report.GetProperty("hashSum").GetUInt32();
        }
    }

    /// <summary>Exactly frames 0 to <paramref name="count"/> − 1, every byte as sent.</summary>
    public void AssertIsFirst(int count)
    {
        (uint expectedHashSum, long expectedBytes) = InteropFrames.Expected(count);
        lock (_gate)
        {
            Assert.Equal((count, expectedBytes, expectedHashSum), (_frames, _bytes, _hashSum));
        }
    }
}
