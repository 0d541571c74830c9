using Microsoft.Extensions.ObjectPool;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>Pool policy: snapshots are reset by their next parse, so returning one needs no work.</summary>
internal sealed class ReusableSnapshotPolicy : IPooledObjectPolicy<ReusableSnapshot>
{
    public ReusableSnapshot Create() => new();

    public bool Return(ReusableSnapshot obj) => true;
}
