namespace ShmIpc.ShmRing.Broadcast;

/// <summary>
/// Typed access to a broadcast segment's hot lines and consumer slots at <see cref="BroadcastLayout"/>'s offsets. As
/// <see cref="RingHeader"/>: references into the mapping, the access mode (plain, Volatile, Interlocked) chosen at each
/// use, where the SYNC POINT is labelled.
/// </summary>
internal readonly struct BroadcastHeader
{
    private readonly MappedFile _file;

    public BroadcastHeader(MappedFile file) => _file = file;

    public ref long Tail => ref _file.At<long>(BroadcastLayout.TailOffset);

    public ref long TailIntent => ref _file.At<long>(BroadcastLayout.TailIntentOffset);

    public ref long Latest => ref _file.At<long>(BroadcastLayout.LatestOffset);

    public ref long Head => ref _file.At<long>(BroadcastLayout.HeadOffset);

    public ref long Joins => ref _file.At<long>(BroadcastLayout.JoinsOffset);

    public ref int WakeWord => ref _file.At<int>(BroadcastLayout.WakeWordOffset);

    public ref int ConsumersMaySleep => ref _file.At<int>(BroadcastLayout.ConsumersMaySleepOffset);

    public ref uint Policy => ref _file.At<uint>(BroadcastLayout.PolicyOffset);

    /// <summary>The producer's slot (slot 0): its owner word and heartbeat.</summary>
    public ProducerSlot ProducerSlot => new(_file, RingLayout.SlotOffset(0));

    /// <summary>Consumer slot <paramref name="index"/>, 0-based (ring slot index + 1).</summary>
    public ConsumerSlot Consumer(int index) => new(_file, RingLayout.SlotOffset(BroadcastLayout.FirstConsumerSlot + index));

    /// <summary>Sleeps while the wake word is <paramref name="expected"/>, at most <paramref name="timeoutNanoseconds"/>.</summary>
    public void FutexWaitOnWakeWord(int expected, long timeoutNanoseconds) => _file.FutexWait(BroadcastLayout.WakeWordOffset, expected, timeoutNanoseconds);
}
