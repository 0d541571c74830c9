using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ShmIpc.ShmRing;

/// <summary>
/// Space claimed in a ring for one record, lent to the caller (Aeron's BufferClaim, iceoryx2's loaned sample): write
/// (or encode) the payload into <see cref="Destination"/>, then <see cref="Commit"/> the length written, or
/// <see cref="Abort"/>. <see cref="Dispose"/> aborts a claim that is still open, so wrapping it in <c>using</c> gives
/// the space back when the encoder throws. A producer has one open claim at a time; a claim is open from
/// <see cref="RingProducer.TryClaim"/> (or <see cref="RingProducer.Claim"/>) to its commit or abort, and its producer
/// keeps that state, so copies of a claim all see it closed once one of them commits.
/// </summary>
/// <example>
/// <code>
/// if (producer.TryClaim(16384, out RingClaim claim))
/// {
///     using (claim)
///     {
///         claim.Commit(codec.Encode(snapshot, claim.Destination));
///     }
/// }
/// </code>
/// </example>
public readonly ref struct RingClaim
{
    private readonly RingProducer? _producer;
    private readonly long _sequence;

    internal RingClaim(RingProducer producer, long sequence, Span<byte> destination)
    {
        _producer = producer;
        _sequence = sequence;
        Destination = destination;
    }

    /// <summary>The claimed space inside the mapped segment, as long as the claimed maximum; empty if nothing was claimed.</summary>
    public Span<byte> Destination { get; }

    /// <summary>
    /// Publishes the record with <paramref name="length"/> bytes of payload (at most the claimed maximum) and a
    /// non-negative <paramref name="recordType"/> the consumer sees as <see cref="RingRecord.Type"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The claim is not open: nothing was claimed, or it was committed or aborted.</exception>
    /// <exception cref="ObjectDisposedException">Its producer was disposed (which aborted the claim).</exception>
    public void Commit(int length, int recordType = 0)
    {
        if (_producer is null)
        {
            ThrowNothingClaimed();
        }

        _producer.Commit(_sequence, length, recordType);
    }

    /// <summary>Gives the space back: nothing is delivered (MPSC publishes the space as padding the consumer skips).</summary>
    /// <exception cref="InvalidOperationException">The claim is not open: nothing was claimed, or it was committed or aborted.</exception>
    /// <exception cref="ObjectDisposedException">Its producer was disposed (which aborted the claim).</exception>
    public void Abort()
    {
        if (_producer is null)
        {
            ThrowNothingClaimed();
        }

        _producer.Abort(_sequence);
    }

    /// <summary>Aborts the claim if it is still open; after a commit or an abort, does nothing.</summary>
    public void Dispose() => _producer?.AbortIfOpen(_sequence);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNothingClaimed()
        => throw new InvalidOperationException("no space was claimed (TryClaim returned false, or Claim did not succeed)");
}
