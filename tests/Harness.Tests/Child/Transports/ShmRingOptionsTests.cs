using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;
using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Tests.Child.Transports;

public sealed class ShmRingOptionsTests
{
    [Theory]
    [InlineData("spin", RingWaitStrategy.BusySpin)]
    [InlineData("yield", RingWaitStrategy.SpinThenYield)]
    [InlineData("block", RingWaitStrategy.SpinThenBlock)]
    public void EachWait_IsTheRingsStrategy(string wait, RingWaitStrategy expected) =>
        Assert.Equal(expected, ShmRingOptions.For(TestSettings.For(TransportKind.SharedMemory, shmWait: EnumNames.Parse<ShmWaitStrategy>(wait))).WaitStrategy);

    [Fact]
    public void AWaitThatIsNoStrategy_IsRefused_NotTakenForBusySpin() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ShmRingOptions.For(TestSettings.For(TransportKind.SharedMemory, shmWait: (ShmWaitStrategy)7)));
}
