using System.Net;
using Grpc.Core;
using Grpc.Net.Client;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// One channel carrying one client-streaming call for the whole run. A send encodes the frame straight into the
/// call's buffer; the request body (<see cref="CoalescingRequestStream"/>) takes it at once and sends it with any
/// others that arrive while an earlier send is in flight. A send that may not be held completes when its frame is
/// handed to the HTTP/2 connection (waiting only for that and flow-control credit), as a gRPC write does; one that
/// may be held (<c>mayHold</c>, the sender knows more frames are due) completes once the frame is buffered. The
/// caller's state is not used after the send completes.
/// </summary>
internal sealed class GrpcStreamingConnection : IGrpcPublisherConnection
{
    private readonly PublisherOptions _options;
    private readonly CoalescingRequestHandler _handler;
    private readonly GrpcChannel _channel;
    private readonly CancellationTokenSource _aborting = new();
    private readonly string _description;
    private AsyncClientStreamingCall<OutgoingFrame, EmptyReply>? _call;
    private OutgoingFrame? _frame; // the last send's EncoderFrame<TState>, refilled by the next send of that state type
    private bool _broken;

    public GrpcStreamingConnection(EndPoint endPoint, int index, PublisherOptions options)
    {
        _options = options;
        _handler = new CoalescingRequestHandler(GrpcChannelFactory.CreateHandler(endPoint, options), GrpcChannelFactory.CoalescingCapacity);
        _channel = GrpcChannelFactory.Create(endPoint, _handler);
        _description = $"grpc publisher connection {index} to {endPoint}";
    }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        CallInvoker calls = _channel.CreateCallInvoker();
        await GrpcConnectProbe.RunAsync(calls, _description, _options, _aborting.Token, cancellationToken).ConfigureAwait(false);
        _call = calls.AsyncClientStreamingCall(SnapshotFeedMethods.PublishFromClient, null, new CallOptions(cancellationToken: _aborting.Token));
    }

    public ValueTask SendAsync<TState>(int payloadLength, FrameEncoder<TState> encode, TState state, bool mayHold, CancellationToken cancellationToken)
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
            return mayHold ? default : FlushAsync(cancellationToken);
        }

        return AwaitWriteAsync(write, frame, mayHold, cancellationToken);
    }

    /// <summary>Completes when every frame sent so far is handed to the HTTP/2 connection.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        // Set before any write completes: a gRPC write waits for the request body to open, and the body is opened
        // with its stream. Null only before the first send, when nothing is held.
        if (_broken || _handler.CurrentBody is not { } body)
        {
            return _broken ? throw new TransportException($"{_description} is broken by an earlier failure") : default;
        }

        ValueTask sent;
        try
        {
            sent = body.WaitUntilSentAsync();
        }
        catch (Exception exception)
        {
            throw Broken(exception);
        }

        if (sent.IsCompletedSuccessfully)
        {
            sent.GetAwaiter().GetResult(); // hands a pooled wait back to its pool
            return default;
        }

        return AwaitSentAsync(sent, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_call is not null && !_broken)
            {
                // The request body sends what it holds before END_STREAM, and the answer comes after END_STREAM.
                await _call.RequestStream.CompleteAsync().WaitAsync(_options.ConnectTimeout).ConfigureAwait(false);
                await _call.ResponseAsync.WaitAsync(_options.ConnectTimeout).ConfigureAwait(false);
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
    private async ValueTask AwaitWriteAsync<TState>(Task write, EncoderFrame<TState> frame, bool mayHold, CancellationToken cancellationToken)
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

        if (!mayHold)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitSentAsync(ValueTask sent, CancellationToken cancellationToken)
    {
        try
        {
            await sent.ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw Broken(exception);
        }
    }

    private TransportException Broken(Exception exception)
    {
        _broken = true;

        // A body that failed because the subscriber ended the call: its status says why, as a failed write's would.
        if (exception is IOException && _call?.ResponseAsync is { IsFaulted: true } answer && answer.Exception?.InnerException is RpcException status)
        {
            return GrpcChannelFactory.Describe(_description, status);
        }

        return GrpcChannelFactory.Describe(_description, exception);
    }
}
