using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Child.Measurement;

public sealed class OpenLoopScheduleTests
{
    [Fact]
    public void DueTimes_FollowTheRateFromTheStart_RegardlessOfWhatWasSent()
    {
        var schedule = new OpenLoopSchedule(1_000, 50_000);
        Assert.Equal(1_000, schedule.DueTime(0));
        Assert.Equal(1_000 + 20_000, schedule.DueTime(1));
        Assert.Equal(1_000 + 20_000L * 50_000, schedule.DueTime(50_000));
        Assert.False(schedule.IsFlatOut);
    }

    [Fact]
    public void CountDueWithin_CountsMessagesOfTheWindow()
    {
        var schedule = new OpenLoopSchedule(0, 1_000);
        Assert.Equal(1_000, schedule.CountDueWithin(1_000_000_000));
        Assert.Equal(1, schedule.CountDueWithin(1));
    }

    [Fact]
    public void NoRate_IsFlatOut()
    {
        var schedule = new OpenLoopSchedule(0, null);
        Assert.True(schedule.IsFlatOut);
        Assert.Equal(long.MaxValue, schedule.CountDueWithin(1_000));
    }

    [Fact]
    public void SpinUntil_NeverReturnsEarly()
    {
        long due = MonotonicClock.NowNanoseconds() + 200_000;
        long woke = OpenLoopSchedule.SpinUntil(due);
        Assert.True(woke >= due);
        Assert.True(MonotonicClock.NowNanoseconds() >= due);
    }
}
