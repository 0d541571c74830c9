using Microsoft.Extensions.Logging;

namespace ShmIpc.NetTransports.Hosting;

/// <summary>
/// Routes Kestrel's and gRPC's own log output, warnings and above only, to the subscriber's one-line log sink,
/// so the server stays quiet (the harness measures its CPU) and every report lands in one place.
/// </summary>
internal sealed class LogLineLoggerProvider(Action<string> log) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new LogLineLogger(categoryName, log);

    public void Dispose()
    {
    }

    private sealed class LogLineLogger(string category, Action<string> log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string message = formatter(state, exception);
            log(exception is null ? $"{category} {logLevel}: {message}" : $"{category} {logLevel}: {message} ({exception.GetType().Name}: {exception.Message})");
        }
    }
}
