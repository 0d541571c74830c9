using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// One channel carrying one client-streaming call for the whole run. A send writes the message into the call's
/// request stream (serialized straight into gRPC's buffer) and completes when it is handed to the HTTP/2 connection,
/// waiting only for flow-control credit; the caller may reuse the Snapshot afterwards.
/// </summary>
internal sealed class GrpcStreamingConnection(IPEndPoint endPoint, int index, PublisherOptions options) : IGrpcPublisherConnection
{
    private readonly GrpcChannel _channel = GrpcChannelFactory.Create(endPoint, options);
    private readonly CancellationTokenSource _aborting = new();
    private readonly string _description = $"grpc publisher connection {index} to {endPoint}";
    private AsyncClientStreamingCall<Snapshot, Empty>? _call;
    private bool _broken;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _call = _channel.CreateCallInvoker().AsyncClientStreamingCall(SnapshotFeedMethods.PublishFromClient, null, new CallOptions(cancellationToken: _aborting.Token));
        try
        {
            // The server writes response headers as the call starts: they prove the call reached it.
            await _call.ResponseHeadersAsync.WaitAsync(options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            throw new TransportException($"{_description}: no answer within {options.ConnectTimeout.TotalSeconds:0.#} s", exception);
        }
        catch (RpcException exception)
        {
            throw GrpcChannelFactory.Describe(_description, exception);
        }
    }

    public ValueTask SendAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (_broken || _call is null)
        {
            throw new TransportException(_call is null ? $"{_description} is not connected" : $"{_description} is broken by an earlier failure");
        }

        Task write;
        try
        {
            write = _call.RequestStream.WriteAsync(snapshot, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw Broken(exception);
        }

        return write.IsCompletedSuccessfully ? default : AwaitWriteAsync(write, cancellationToken);
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
    private async ValueTask AwaitWriteAsync(Task write, CancellationToken cancellationToken)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw Broken(exception);
        }
    }

    private TransportException Broken(Exception exception)
    {
        _broken = true;
        return GrpcChannelFactory.Describe(_description, exception);
    }
}
