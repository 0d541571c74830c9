using System.Buffers;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using ShmIpc.Codecs.Protobuf;
using ShmIpc.NetTransports.Grpc;
using ShmIpc.NetTransports.Grpc.Contract;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>
/// snapshot_feed.proto is the service the transport serves: its methods are the hand-made ones, and a client generated
/// from it by Grpc.Tools (as any gRPC user would make one) is served, both methods, every Snapshot intact.
/// </summary>
public sealed class SnapshotFeedContractTests
{
    private const int MessageCount = 100;

    [Fact]
    public void TheProtoDeclaresTheMethodsTheTransportUses()
    {
        ServiceDescriptor service = SnapshotFeedReflection.Descriptor.Services.Single();
        Assert.Equal(SnapshotFeedMethods.ServiceName, service.FullName);
        MethodDescriptor publish = service.FindMethodByName(SnapshotFeedMethods.PublishName);
        MethodDescriptor publishOne = service.FindMethodByName(SnapshotFeedMethods.PublishOneName);
        Assert.Equal((true, false), (publish.IsClientStreaming, publish.IsServerStreaming));
        Assert.Equal((false, false), (publishOne.IsClientStreaming, publishOne.IsServerStreaming));
        Assert.All([publish, publishOne], method =>
        {
            Assert.Equal(Snapshot.Descriptor.FullName, method.InputType.FullName);
            Assert.Equal(Empty.Descriptor.FullName, method.OutputType.FullName);
        });
        Assert.Equal(2, service.Methods.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AGeneratedClient_IsServed_EverySnapshotIntact(bool unary)
    {
        var received = new System.Collections.Concurrent.ConcurrentDictionary<long, Snapshot>();
        await using var subscriber = new GrpcFrameSubscriber((in ReadOnlySequence<byte> payload) =>
        {
            Snapshot snapshot = Snapshot.Parser.ParseFrom(payload);
            Assert.True(received.TryAdd(snapshot.Sequence, snapshot), $"snapshot {snapshot.Sequence} arrived twice");
        });
        await subscriber.StartAsync();

        using GrpcChannel channel = GrpcChannel.ForAddress(new Uri($"http://{subscriber.EndPoint}"));
        var client = new SnapshotFeed.SnapshotFeedClient(channel);
        if (unary)
        {
            for (long sequence = 0; sequence < MessageCount; sequence++)
            {
                Assert.IsType<Empty>(await client.PublishOneAsync(Create(sequence)));
            }
        }
        else
        {
            using AsyncClientStreamingCall<Snapshot, Empty> call = client.Publish();
            for (long sequence = 0; sequence < MessageCount; sequence++)
            {
                await call.RequestStream.WriteAsync(Create(sequence));
            }

            await call.RequestStream.CompleteAsync();
            Assert.IsType<Empty>(await call.ResponseAsync);
        }

        Assert.Equal(MessageCount, received.Count);
        Assert.All(received, pair => Assert.Equal(Create(pair.Key), pair.Value));
        Assert.Equal(0, subscriber.Statistics.Errors);
    }

    private static Snapshot Create(long sequence)
    {
        var snapshot = new Snapshot { Sequence = sequence, SendTimestampNs = (sequence * 1_000) + 7 };
        for (int index = 0; index <= sequence % 8; index++)
        {
            var instrument = new Instrument { InstrumentId = index + 1, LastPrice = (int)(sequence * 10) + index, Volume = sequence + 3 };
            instrument.BidPrices.Add([(int)sequence, index, 5]);
            instrument.AskQuantities.Add([7, (int)sequence]);
            snapshot.Instruments.Add(instrument);
        }

        return snapshot;
    }
}
