using Microsoft.Extensions.Hosting;

namespace ShmIpc.NetTransports.Hosting;

/// <summary>
/// A host lifetime that does nothing: the subscriber's owner starts and stops the server, so Kestrel must not
/// take over Ctrl+C / SIGTERM handling of the process hosting it (the harness handles those itself).
/// </summary>
internal sealed class ExternallyOwnedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
