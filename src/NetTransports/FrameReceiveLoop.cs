using System.Buffers;
using System.IO.Pipelines;

namespace ShmIpc.NetTransports;

/// <summary>
/// Reads length-prefixed frames from a <see cref="PipeReader"/> and hands each payload, in place, to a
/// <see cref="FrameHandler"/>: the TCP connection and the HTTP/2 request body share it. Returns when the
/// peer ends the stream on a frame boundary; throws <see cref="TransportException"/> for bad framing, a stream
/// that ends mid-frame, or a handler that throws. Allocates nothing per frame.
/// </summary>
internal static class FrameReceiveLoop
{
    public static async Task RunAsync(PipeReader reader, FrameHandler handler, int maxPayloadLength, ConnectionCounters counters, CancellationToken cancellationToken)
    {
        long held = 0;
        while (true)
        {
            // Two plain stores around the read, no clock and no syscall: the watchdog's timer judges a pending read.
            counters.WaitingForBytes(held);
            ReadResult result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            counters.ReadReturned();
            ReadOnlySequence<byte> buffer = result.Buffer;
            SequencePosition consumed = HandleCompleteFrames(buffer, handler, maxPayloadLength, counters);
            if (result.IsCompleted || result.IsCanceled)
            {
                long left = buffer.Slice(consumed).Length;
                if (left != 0 && !result.IsCanceled)
                {
                    throw new TransportException($"stream ended mid-frame: {left} bytes of an incomplete frame{DescribeExpected(buffer.Slice(consumed))}");
                }

                reader.AdvanceTo(consumed);
                return;
            }

            // Everything up to 'consumed' is done; everything after it was examined and is an incomplete frame,
            // so the next read waits for more bytes rather than returning the same ones.
            held = buffer.Slice(consumed).Length;
            reader.AdvanceTo(consumed, buffer.End);
        }
    }

    private static SequencePosition HandleCompleteFrames(ReadOnlySequence<byte> buffer, FrameHandler handler, int maxPayloadLength, ConnectionCounters counters)
    {
        while (FrameHeader.TryReadFrame(ref buffer, maxPayloadLength, out ReadOnlySequence<byte> payload))
        {
            try
            {
                handler(in payload);
            }
            catch (Exception exception)
            {
                throw new TransportException($"frame handler failed on frame {counters.Frames + 1} ({payload.Length} bytes): {exception.GetType().Name}: {exception.Message}", exception);
            }

            counters.Add(payload.Length);
        }

        return buffer.Start;
    }

    private static string DescribeExpected(ReadOnlySequence<byte> partial)
    {
        if (partial.Length < FrameHeader.Length)
        {
            return " (header incomplete)";
        }

        Span<byte> header = stackalloc byte[FrameHeader.Length];
        partial.Slice(0, FrameHeader.Length).CopyTo(header);
        uint payloadLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        return $" (header announced {payloadLength} payload bytes)";
    }
}
