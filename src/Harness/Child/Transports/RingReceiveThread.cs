using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// The dedicated thread that reads a ring for a receiver (SPSC/MPSC or broadcast): calls the receiver's read of one
/// record until it is stopped, the producer is gone, or the ring turns out corrupt (counted, and the thread ends: the
/// run reports it).
/// </summary>
internal sealed class RingReceiveThread
{
    /// <summary>How often an idle read comes up for air to see whether the receiver is being disposed.</summary>
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Func<TimeSpan, RingReadStatus> _readOne;
    private readonly string _transport;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _transportErrors;

    /// <param name="transport">What error lines call the receiver ("shm", "shm-broadcast").</param>
    /// <param name="readOne">Waits up to the timeout for one record, hands it on and releases it; returns the read's status.</param>
    public RingReceiveThread(string transport, Func<TimeSpan, RingReadStatus> readOne)
    {
        _transport = transport;
        _readOne = readOne;
        _thread = new Thread(Loop) { IsBackground = true, Name = $"{transport} receive" };
        _thread.Start();
    }

    public long TransportErrors => Interlocked.Read(ref _transportErrors);

    /// <summary>Stops the thread and waits for it: after this the ring is no longer read.</summary>
    public void Stop()
    {
        _stopping = true;
        _thread.Join();
    }

    private void Loop()
    {
        while (!_stopping)
        {
            RingReadStatus status;
            try
            {
                status = _readOne(PollTimeout);
            }
            catch (RingException exception)
            {
                Interlocked.Increment(ref _transportErrors);
                Console.Error.WriteLine($"{_transport} receiver: {exception.Message}");
                return;
            }

            if (status == RingReadStatus.PeerGone)
            {
                return;
            }
        }
    }
}
