using System.Net;
using Grpc.Core;
using Grpc.Net.Client;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// One channel sending one unary call per message. A send encodes the frame into a pooled buffer, starts the call
/// and returns without waiting for the answer; at most <see cref="PublisherOptions.MaxRequestsInFlightPerConnection"/>
/// calls are in flight. A failed call makes the next send throw. Allocates per message (gRPC's call objects).
/// </summary>
internal sealed class GrpcUnaryConnection(EndPoint endPoint, int index, PublisherOptions options) : IGrpcPublisherConnection
{
    private readonly GrpcChannel _channel = GrpcChannelFactory.Create(endPoint, options);
    private readonly SemaphoreSlim _slots = new(options.MaxRequestsInFlightPerConnection, options.MaxRequestsInFlightPerConnection);
    private readonly CancellationTokenSource _aborting = new();
    private readonly string _description = $"grpc publisher connection {index} to {endPoint}";
    private CallInvoker? _invoker;
    private Exception? _failure;
    private bool _failureReported;

    public Task ConnectAsync(CancellationToken cancellationToken)
    {
        _invoker = _channel.CreateCallInvoker();
        return GrpcConnectProbe.RunAsync(_invoker, _description, options, _aborting.Token, cancellationToken);
    }

    /// <summary>Every frame is its own call, started at once: <paramref name="mayHold"/> changes nothing.</summary>
    public async ValueTask SendAsync<TState>(int payloadLength, FrameEncoder<TState> encode, TState state, bool mayHold, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _failure) is { } failed)
        {
            _failureReported = true;
            throw new TransportException(failed.Message, failed);
        }

        CallInvoker calls = _invoker ?? throw new TransportException($"{_description} is not connected");
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        EncodedFrame? request = null;
        AsyncUnaryCall<EmptyReply> call;
        try
        {
            request = EncodedFrame.Encode(payloadLength, encode, state);
            call = calls.AsyncUnaryCall(SnapshotFeedMethods.PublishOneFromClient, null, new CallOptions(cancellationToken: _aborting.Token), request);
        }
        catch
        {
            request?.Dispose();
            _slots.Release();
            throw;
        }

        _ = CompleteAsync(call, request);
    }

    /// <summary>Nothing is held: every send has started its call.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => default;

    /// <summary>
    /// Waits (up to the connect timeout) for every call in flight, then closes. A call that failed after the last send
    /// (and not yet reported by a send), or one still unanswered at the timeout (cancelled), makes this throw
    /// <see cref="TransportException"/>: its frame may not have been delivered.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        // Every call in flight holds a slot: holding them all means none is left.
        bool allAnswered = await InFlightRequests.AllEndAsync(_slots, options.MaxRequestsInFlightPerConnection, options.ConnectTimeout).ConfigureAwait(false);
        await _aborting.CancelAsync().ConfigureAwait(false);
        _channel.Dispose();
        _aborting.Dispose();
        if (!allAnswered)
        {
            throw new TransportException($"{_description}: calls were still unanswered after {options.ConnectTimeout.TotalSeconds:0.#} s and were cancelled; their frames may not have been delivered");
        }
        if (!_failureReported && Volatile.Read(ref _failure) is { } failed)
        {
            // A call that failed after the last send: no send has said so yet.
            throw new TransportException(failed.Message, failed);
        }
    }

    private async Task CompleteAsync(AsyncUnaryCall<EmptyReply> call, EncodedFrame request)
    {
        try
        {
            await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RpcException or IOException or OperationCanceledException)
        {
            Interlocked.CompareExchange(ref _failure, GrpcChannelFactory.Describe(_description, exception), null);
        }
        finally
        {
            call.Dispose();
            request.Dispose();
            _slots.Release();
        }
    }
}
