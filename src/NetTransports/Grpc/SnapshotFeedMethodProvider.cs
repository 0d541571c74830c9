using Grpc.AspNetCore.Server.Model;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>Registers the hand-defined feed methods with Grpc.AspNetCore (instead of a generated BindService); both read as request streams.</summary>
internal sealed class SnapshotFeedMethodProvider(SnapshotFeedMethods.ServerMethods methods) : IServiceMethodProvider<SnapshotFeedService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<SnapshotFeedService> context)
    {
        context.AddClientStreamingMethod(methods.Publish, [], static (service, requests, call) => service.PublishAsync(requests, call));
        context.AddClientStreamingMethod(methods.PublishOne, [], static (service, requests, call) => service.PublishOneAsync(requests, call));
    }
}
