using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.ObjectPool;
using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// The server side of the feed's two methods: hands each parsed snapshot to the subscriber's handler, counts it,
/// returns it to the pool. One log line and an error status end a call that breaks (bad message, oversize message,
/// client gone); other calls carry on.
/// </summary>
internal sealed class SnapshotFeedService(
    Action<Snapshot> handler,
    ObjectPool<ReusableSnapshot> pool,
    SubscriberStatisticsRegistry registry,
    Action<string> log,
    Func<string> describeServer,
    CancellationToken stopping)
{
    public async Task<Empty> PublishAsync(IAsyncStreamReader<ReusableSnapshot> requests, ServerCallContext context)
    {
        ConnectionCounters counters = registry.Register();
        bool failed = false;
        try
        {
            // Headers first, so the publisher's connect can wait for them: proof the call reached this server.
            await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);
            while (await requests.MoveNext(stopping).ConfigureAwait(false))
            {
                Deliver(requests.Current, counters);
            }

            return new Empty();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return new Empty(); // the subscriber is stopping: end the call; the publisher's next write fails
        }
        catch (Exception exception)
        {
            failed = true;
            throw Fail(context, exception);
        }
        finally
        {
            registry.Retire(counters, failed);
        }
    }

    public Task<Empty> PublishOneAsync(ReusableSnapshot request, ServerCallContext context)
    {
        ConnectionCounters counters = registry.Register();
        bool failed = false;
        try
        {
            Deliver(request, counters);
            return Task.FromResult(new Empty());
        }
        catch (Exception exception)
        {
            failed = true;
            throw Fail(context, exception);
        }
        finally
        {
            registry.Retire(counters, failed);
        }
    }

    private void Deliver(ReusableSnapshot snapshot, ConnectionCounters counters)
    {
        // Read before the snapshot goes back to the pool: another call may take it and refill it at once.
        int payloadLength = snapshot.PayloadLength;
        try
        {
            handler(snapshot.Message);
        }
        catch (Exception exception)
        {
            throw new TransportException($"snapshot handler failed on message {counters.Frames + 1} (sequence {snapshot.Message.Sequence}): {exception.GetType().Name}: {exception.Message}", exception);
        }
        finally
        {
            pool.Return(snapshot);
        }

        counters.Add(payloadLength);
    }

    private RpcException Fail(ServerCallContext context, Exception exception)
    {
        string reason = exception is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : exception.Message;
        log($"grpc subscriber {describeServer()}: call {context.Method} from {context.Peer} closed: {reason}");
        return exception as RpcException ?? new RpcException(new Status(StatusCode.InvalidArgument, reason));
    }
}
