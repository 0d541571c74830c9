using System.Runtime.ExceptionServices;

namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>A plain thread for the other side of an in-process test; <see cref="Join"/> rethrows what it threw.</summary>
internal sealed class Background
{
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;

    private Background(Action action)
    {
        _thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception exception)
            {
                _failure = ExceptionDispatchInfo.Capture(exception);
            }
        }) { IsBackground = true };
        _thread.Start();
    }

    public static Background Start(Action action) => new(action);

    public bool Join(TimeSpan timeout)
    {
        bool finished = _thread.Join(timeout);
        _failure?.Throw();
        return finished;
    }
}
