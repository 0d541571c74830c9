using Google.Protobuf;
using Google.Protobuf.Reflection;
using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// A <see cref="Snapshot"/> that is parsed again and again in place. Google.Protobuf's generated parser allocates
/// a new <see cref="Instrument"/> (and its four repeated-field arrays) for every instrument of every message; this
/// parser resets and refills the instruments kept from the previous message instead, so a steady stream of
/// same-shaped snapshots allocates nothing. It reads exactly the wire format of snapshot.proto (fields the schema
/// does not know are skipped at the top level and dropped from an instrument before it is reused).
/// </summary>
internal sealed class ReusableSnapshot : IBufferMessage
{
    /// <summary>
    /// Instruments a pooled snapshot may keep: far more than a feed's snapshot holds (128 in 16 KiB, 512 in 64 KiB),
    /// far fewer than a hostile 4 MiB message of empty instruments would leave behind (~2 million objects).
    /// </summary>
    public const int MaximumRetainedInstruments = 4096;

    /// <summary>Largest message whose arrays (grown to fit it) a pooled snapshot may keep, in bytes on the wire.</summary>
    public const int MaximumRetainedPayloadLength = 1024 * 1024;

    private readonly List<Instrument> _instruments = [];
    private int _payloadLength;
    private int _largestPayloadLength;

    /// <summary>The parsed message; valid until the next parse.</summary>
    public Snapshot Message { get; } = new();

    /// <summary>Size of the last parsed message on the wire, in bytes.</summary>
    public int PayloadLength
    {
        get => _payloadLength;
        set
        {
            _payloadLength = value;
            _largestPayloadLength = Math.Max(_largestPayloadLength, value);
        }
    }

    /// <summary>
    /// False once this snapshot has parsed a message so large that what it retains (instrument objects, array
    /// capacity) should go back to the GC instead of staying in the pool: keeps the pool's memory bounded whatever
    /// a publisher sends.
    /// </summary>
    public bool IsWorthKeeping => _instruments.Count <= MaximumRetainedInstruments && _largestPayloadLength <= MaximumRetainedPayloadLength;

    MessageDescriptor IMessage.Descriptor => Snapshot.Descriptor;

    public void MergeFrom(CodedInputStream input) => input.ReadRawMessage(this);

    void IBufferMessage.InternalMergeFrom(ref ParseContext input)
    {
        Message.Sequence = 0;
        Message.SendTimestampNs = 0;
        Message.Instruments.Clear();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case 8: // field 1, varint
                    Message.Sequence = input.ReadInt64();
                    break;
                case 17: // field 2, fixed64
                    Message.SendTimestampNs = input.ReadSFixed64();
                    break;
                case 26: // field 3, length-delimited
                    input.ReadMessage(NextInstrument());
                    break;
                default:
                    if ((tag & 7) == 4)
                    {
                        return; // end of an enclosing group (never in proto3, handled as the generated code does)
                    }

                    _ = UnknownFieldSet.MergeFieldFrom(null, ref input);
                    break;
            }
        }
    }

    void IMessage.WriteTo(CodedOutputStream output) => Message.WriteTo(output);

    void IBufferMessage.InternalWriteTo(ref WriteContext output) => ((IBufferMessage)Message).InternalWriteTo(ref output);

    int IMessage.CalculateSize() => Message.CalculateSize();

    private Instrument NextInstrument()
    {
        int index = Message.Instruments.Count;
        Instrument instrument;
        if (index < _instruments.Count)
        {
            instrument = _instruments[index];
            instrument.ClearUnknownFields(); // the generated parser keeps unknown fields: reused, they would pile up
            instrument.InstrumentId = 0;
            instrument.LastPrice = 0;
            instrument.Volume = 0;
            instrument.Turnover = 0;
            instrument.ExchangeTimestampNs = 0;
            instrument.BidPrices.Clear(); // keeps its array: refilling allocates nothing
            instrument.BidQuantities.Clear();
            instrument.AskPrices.Clear();
            instrument.AskQuantities.Clear();
        }
        else
        {
            instrument = new Instrument();
            _instruments.Add(instrument);
        }

        Message.Instruments.Add(instrument);
        return instrument;
    }
}
