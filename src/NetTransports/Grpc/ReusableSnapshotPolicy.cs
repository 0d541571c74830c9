using Microsoft.Extensions.ObjectPool;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// Pool policy: snapshots are reset by their next parse, so returning one needs no work; one that grew too large
/// for a feed (<see cref="ReusableSnapshot.IsWorthKeeping"/>) is left to the GC.
/// </summary>
internal sealed class ReusableSnapshotPolicy : IPooledObjectPolicy<ReusableSnapshot>
{
    public ReusableSnapshot Create() => new();

    public bool Return(ReusableSnapshot obj) => obj.IsWorthKeeping;
}
