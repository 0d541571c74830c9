namespace ShmIpc.ShmRing;

/// <summary>
/// Receives records from <see cref="RingConsumer.ReadBatch{THandler}(ref THandler, int)"/>. Implement it on a struct:
/// the call is then direct (no delegate, no allocation) and the struct can carry state.
/// </summary>
public interface IRingRecordHandler
{
    /// <summary>Called once per record; <paramref name="record"/>'s payload is valid only during the call.</summary>
    void OnRecord(in RingRecord record);
}
