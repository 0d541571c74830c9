using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Protocol;

public sealed class ControlLinesTests
{
    [Fact]
    public void AnEvent_IsOneLineBehindThePrefix_AndReadsBack()
    {
        var ready = new ControlEvent { Event = ControlEvent.Ready, Endpoint = "127.0.0.1:7000" };
        string line = ControlLines.FormatEvent(ready);

        Assert.StartsWith("@ctl {", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        Assert.Equal(ready, ControlLines.TryParseEvent(line));
        Assert.Null(ControlLines.TryParseEvent("{\"event\":\"ready\"} printed by a library"));
    }

    [Fact]
    public void Commands_AreAVerbAndANumber()
    {
        Assert.Equal("start 123456789", ControlLines.FormatCommand(ParentCommand.Start(123_456_789)));
        Assert.Equal("finish 1500", ControlLines.FormatCommand(ParentCommand.Finish(1_500)));
        Assert.Equal("abort", ControlLines.FormatCommand(ParentCommand.Abort));

        Assert.Equal(ParentCommand.Start(42), ControlLines.TryParseCommand("start 42"));
        Assert.True(ControlLines.TryParseCommand("finish 7") is { IsFinish: true, Argument: 7 });
        Assert.Equal(ParentCommand.Abort, ControlLines.TryParseCommand("abort"));
        Assert.Null(ControlLines.TryParseCommand("   "));
    }
}
