using System.Buffers;
using ShmIpc.Codecs;
using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// What every receiver does with a payload, the same for every transport: the codec reads every
/// field in place, then the recorder takes the receive time and records the latency, then the
/// content is checked. A payload the codec rejects is counted as a content error, not thrown.
/// Used by one thread at a time (codecs and recorders keep state without locks): a thread of its
/// own, or rented from <see cref="SnapshotReceiveSinkPool"/> for one delivery.
/// </summary>
internal sealed class SnapshotReceiveSink
{
    private readonly ISnapshotCodec _codec;
    private readonly LatencyRecorder _recorder;
    private readonly ContentVerifier _verifier;
    private readonly long _injectedDelayNanoseconds;

    /// <param name="injectedDelay">A test hook: a receiver slowed on purpose, as if reading took this much longer (zero: none).</param>
    public SnapshotReceiveSink(ISnapshotCodec codec, LatencyRecorder recorder, ContentVerifier verifier, TimeSpan injectedDelay = default)
    {
        _codec = codec;
        _recorder = recorder;
        _verifier = verifier;
        _injectedDelayNanoseconds = MonotonicClock.ToNanoseconds(injectedDelay);
    }

    public void OnPayload(ReadOnlySpan<byte> payload)
    {
        if (!TryRead(payload, out SnapshotDigest digest))
        {
            _recorder.CountContentError();
            return;
        }
        Complete(digest, payload.Length);
    }

    /// <summary>
    /// Only the codec's read of every field, for a reader that learns afterwards whether the payload was intact (the
    /// lossy broadcast ring): it then calls <see cref="Complete"/> or <see cref="CountContentError"/>, or drops the
    /// digest of a record overwritten while it was read. False: the codec rejected the payload.
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> payload, out SnapshotDigest digest)
    {
        try
        {
            digest = _codec.ReadEveryField(payload);
            return true;
        }
        catch (SnapshotFormatException)
        {
            digest = default;
            return false;
        }
    }

    public void OnPayload(in ReadOnlySequence<byte> payload)
    {
        SnapshotDigest digest;
        try
        {
            digest = _codec.ReadEveryField(payload);
        }
        catch (SnapshotFormatException)
        {
            _recorder.CountContentError();
            return;
        }
        Complete(digest, (int)payload.Length);
    }

    /// <summary>A message the transport's library parsed but whose content was invalid.</summary>
    public void CountContentError() => _recorder.CountContentError();

    /// <summary>For transports whose library hands over a parsed message (gRPC): the caller read every field.</summary>
    public void Complete(in SnapshotDigest digest, int payloadBytes)
    {
        if (_injectedDelayNanoseconds > 0)
        {
            OpenLoopSchedule.SpinUntil(MonotonicClock.NowNanoseconds() + _injectedDelayNanoseconds);
        }
        _recorder.Record(digest.Sequence, digest.SendTimestampNs, payloadBytes);
        if (!_verifier.Matches(digest))
        {
            _recorder.CountContentError();
        }
    }
}
