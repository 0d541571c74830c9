using Grpc.Core;
using Microsoft.Extensions.ObjectPool;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// The server side of the feed's two methods, both read as request streams: counts each message the marshaller has
/// already handed to the frame handler and returns its record to the pool. A fault ends only its call, with one log
/// line here (the reason, in full) and the fault's documented status (<see cref="GrpcFaultStatus"/>, fixed text).
/// </summary>
internal sealed class SnapshotFeedService(
    ObjectPool<ReceivedFrame> pool,
    SubscriberStatisticsRegistry registry,
    int maxPayloadLength,
    Action<string> log,
    Func<string> describeServer,
    CancellationToken stopping)
{
    public async Task<EmptyReply> PublishAsync(IAsyncStreamReader<ReceivedFrame> requests, ServerCallContext context)
    {
        ConnectionCounters counters = registry.Register();
        (GrpcFault, string)? fault = null;
        try
        {
            while (await requests.MoveNext(stopping).ConfigureAwait(false))
            {
                if (Count(requests.Current, counters) is string rejected)
                {
                    fault = (GrpcFault.Rejected, rejected);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The subscriber is stopping: end the call; the publisher's next write fails.
        }
        catch (Exception exception)
        {
            fault = Classify(context, exception);
        }

        return End(context, counters, fault);
    }

    public async Task<EmptyReply> PublishOneAsync(IAsyncStreamReader<ReceivedFrame> requests, ServerCallContext context)
    {
        ConnectionCounters counters = registry.Register();
        (GrpcFault, string)? fault = null;
        try
        {
            if (!await requests.MoveNext(stopping).ConfigureAwait(false))
            {
                fault = (GrpcFault.NotOneMessage, "PublishOne carried no message");
            }
            else if (Count(requests.Current, counters) is string rejected)
            {
                fault = (GrpcFault.Rejected, rejected);
            }
            else if (await requests.MoveNext(stopping).ConfigureAwait(false))
            {
                fault = (GrpcFault.NotOneMessage, "PublishOne carried more than one message");
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            fault = Classify(context, exception);
        }

        return End(context, counters, fault);
    }

    /// <summary>Counts a message the handler took; returns why it was rejected, or null.</summary>
    private string? Count(ReceivedFrame received, ConnectionCounters counters)
    {
        int payloadLength = received.PayloadLength;
        Exception? failure = received.HandlerFailure;
        pool.Return(received);
        if (failure is not null)
        {
            return $"frame handler failed on message {counters.Frames + 1} ({payloadLength} bytes): {failure.GetType().Name}: {failure.Message}";
        }

        counters.Add(payloadLength);
        return null;
    }

    private EmptyReply End(ServerCallContext context, ConnectionCounters counters, (GrpcFault Fault, string Reason)? fault)
    {
        registry.Retire(counters, fault is not null);
        if (fault is not { } ended)
        {
            return EmptyReply.Instance;
        }

        log($"grpc subscriber {describeServer()}: call {context.Method} from {context.Peer} closed after {counters.Frames} message(s): {ended.Fault}: {ended.Reason}");
        throw new RpcException(GrpcFaultStatus.For(ended.Fault, maxPayloadLength));
    }

    // What reading a request stream throws, as Grpc.AspNetCore (2.x) reports each fault.
    private static (GrpcFault Fault, string Reason) Classify(ServerCallContext context, Exception exception) => exception switch
    {
        RpcException { StatusCode: StatusCode.ResourceExhausted } rpc => (GrpcFault.TooLarge, rpc.Status.Detail),
        // A length prefix above 2^31−1 is refused as an IOException before the size limit is checked.
        IOException io when io.Message.StartsWith("Message too large", StringComparison.Ordinal) => (GrpcFault.TooLarge, io.Message),
        _ when context.CancellationToken.IsCancellationRequested => (GrpcFault.ClientGone, exception.Message),
        RpcException rpc => (GrpcFault.Malformed, $"{rpc.StatusCode}: {rpc.Status.Detail}"),
        IOException or OperationCanceledException => (GrpcFault.ClientGone, exception.Message),
        InvalidDataException => (GrpcFault.Malformed, exception.Message),
        _ => (GrpcFault.ServerFault, $"{exception.GetType().Name}: {exception.Message}"),
    };
}
