using System.Net;
using Grpc.Core;
using Grpc.Net.Client;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// One channel carrying one client-streaming call for the whole run. A send encodes the frame straight into the
/// call's request stream buffer and completes when it is handed to the HTTP/2 connection, waiting only for
/// flow-control credit; the caller's state is not used after that.
/// </summary>
internal sealed class GrpcStreamingConnection(EndPoint endPoint, int index, PublisherOptions options) : IGrpcPublisherConnection
{
    private readonly GrpcChannel _channel = GrpcChannelFactory.Create(endPoint, options, coalesceRequests: true);
    private readonly CancellationTokenSource _aborting = new();
    private readonly string _description = $"grpc publisher connection {index} to {endPoint}";
    private AsyncClientStreamingCall<OutgoingFrame, EmptyReply>? _call;
    private OutgoingFrame? _frame; // the last send's EncoderFrame<TState>, refilled by the next send of that state type
    private bool _broken;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        CallInvoker calls = _channel.CreateCallInvoker();
        await GrpcConnectProbe.RunAsync(calls, _description, options, _aborting.Token, cancellationToken).ConfigureAwait(false);
        _call = calls.AsyncClientStreamingCall(SnapshotFeedMethods.PublishFromClient, null, new CallOptions(cancellationToken: _aborting.Token));
    }

    public ValueTask SendAsync<TState>(int payloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken)
    {
        if (_broken || _call is null)
        {
            throw new TransportException(_call is null ? $"{_description} is not connected" : $"{_description} is broken by an earlier failure");
        }

        EncoderFrame<TState> frame = _frame as EncoderFrame<TState> ?? new EncoderFrame<TState>();
        _frame = frame;
        frame.Set(payloadLength, encode, state);
        Task write;
        try
        {
            write = _call.RequestStream.WriteAsync(frame, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            frame.Clear();
            throw Broken(exception);
        }

        if (write.IsCompletedSuccessfully)
        {
            frame.Clear();
            return default;
        }

        return AwaitWriteAsync(write, frame, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_call is not null && !_broken)
            {
                await _call.RequestStream.CompleteAsync().WaitAsync(options.ConnectTimeout).ConfigureAwait(false);
                await _call.ResponseAsync.WaitAsync(options.ConnectTimeout).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is RpcException or InvalidOperationException or TimeoutException or OperationCanceledException or IOException)
        {
            // The subscriber is gone or ended the call; nothing left to deliver.
        }
        finally
        {
            await _aborting.CancelAsync().ConfigureAwait(false);
            _call?.Dispose();
            _channel.Dispose();
            _aborting.Dispose();
        }
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitWriteAsync<TState>(Task write, EncoderFrame<TState> frame, CancellationToken cancellationToken)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw Broken(exception);
        }
        finally
        {
            frame.Clear();
        }
    }

    private TransportException Broken(Exception exception)
    {
        _broken = true;
        return GrpcChannelFactory.Describe(_description, exception);
    }
}
