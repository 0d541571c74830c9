using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>The coalescing stream's lock-free auto-reset event (<see cref="SingleWaiterSignal"/>).</summary>
public sealed class SingleWaiterSignalTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SetsWithNobodyWaiting_AreRememberedOnce_AndASecondWaiterIsRefused()
    {
        var signal = new SingleWaiterSignal(runContinuationsAsynchronously: false);
        signal.Set();
        signal.Set();
        Assert.True(signal.WaitAsync().IsCompletedSuccessfully);

        Task waiting = signal.WaitAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        await Assert.ThrowsAsync<InvalidOperationException>(() => signal.WaitAsync().AsTask());
        signal.Set();
        await waiting.WaitAsync(HangGuard);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PingPongBetweenTwoThreads_LosesNoWakeUp(bool runContinuationsAsynchronously)
    {
        // Each set is taken by exactly one wait, so a lost wake-up hangs one side.
        const int rounds = 20_000;
        var ping = new SingleWaiterSignal(runContinuationsAsynchronously);
        var pong = new SingleWaiterSignal(runContinuationsAsynchronously);
        Task answerer = Task.Run(async () =>
        {
            for (int round = 0; round < rounds; round++)
            {
                await ping.WaitAsync();
                pong.Set();
            }
        });
        Task asker = Task.Run(async () =>
        {
            for (int round = 0; round < rounds; round++)
            {
                ping.Set();
                await pong.WaitAsync();
            }
        });

        await Task.WhenAll(asker, answerer).WaitAsync(HangGuard);
    }
}
