using System.Diagnostics;
using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Child.Roles;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Child.Roles;

/// <summary>The parent as the roles see it: <see cref="ParentSenderControl"/> and <see cref="ParentReceiverControl"/> over the control lines.</summary>
public sealed class ParentControlTests
{
    private readonly StringWriter _output = new();

    private ControlChannel Channel(string input) => new(_output, new StringReader(input));

    private ControlEvent[] EventsSent() =>
        [.. _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => ControlLines.TryParseEvent(line.TrimEnd('\r'))!)];

    [Fact]
    public void Sender_StartsAtTheParentsTime_AndStopsAtItsNextCommand()
    {
        var control = new ParentSenderControl(Channel("start 42\nabort\n"));

        control.Ready();
        Assert.True(control.TryWaitForStart(out long runStart));
        Assert.Equal(42, runStart);
        var waited = Stopwatch.StartNew();
        while (!control.StopRequested() && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(1);
        }
        Assert.True(control.StopRequested());

        control.Report(new SenderReport { Sent = 7 });
        ControlEvent[] events = EventsSent();
        Assert.Equal([ControlEvent.Ready, ControlEvent.Sent], events.Select(sent => sent.Event));
        Assert.Equal(7, events[1].Sender!.Sent);
    }

    [Fact]
    public void Sender_WhoseParentIsGoneBeforeTheStart_DoesNotStart() =>
        Assert.False(new ParentSenderControl(Channel("")).TryWaitForStart(out _));

    [Fact]
    public void Receiver_HearsTheStart_ThenHowManyWereSent()
    {
        var control = new ParentReceiverControl(Channel("start 5\nfinish 1500\n"));

        control.Ready("127.0.0.1:7000");
        Assert.False(control.StartsAtFirstMessage);
        Assert.True(control.TryWaitForStart(out long runStart));
        Assert.Equal(5, runStart);
        Assert.True(control.TryWaitForSenderDone(new LatencyRecording(1024), static () => false, out long? sent));
        Assert.Equal(1500, sent);

        ControlEvent ready = Assert.Single(EventsSent());
        Assert.Equal("127.0.0.1:7000", ready.Endpoint);
    }

    [Theory]
    [InlineData("start 5\nabort\n")]
    [InlineData("start 5\n")]
    public void Receiver_ToldToStop_OrWhoseParentIsGone_StopsEarly(string input)
    {
        var control = new ParentReceiverControl(Channel(input));
        Assert.True(control.TryWaitForStart(out _));

        Assert.False(control.TryWaitForSenderDone(new LatencyRecording(1024), static () => false, out long? sent));
        Assert.Null(sent);
    }
}
