using Actors.GpuHost.Ingestion;

namespace Actors.GpuHost.Tests.Ingestion;

/// <summary>The checkpoint interval: CheckpointSeconds, stretched so delivering stays DeliveryShare of the time, up to CheckpointMaxSeconds.</summary>
public class CheckpointIntervalTests
{
    [Theory]
    [InlineData(0.0, 10.0)]     // nothing to deliver: the configured interval
    [InlineData(0.5, 10.0)]     // 0.5 s is 5 % of 10 s: no stretch
    [InlineData(1.0, 10.0)]     // exactly the share
    [InlineData(3.0, 30.0)]     // 3 s of delivery: the next one 30 s later, so 3 / (30 + 3) of the time
    [InlineData(50.0, 120.0)]   // capped: a crash never redoes more than CheckpointMaxSeconds
    public void TheIntervalKeepsDeliveryWithinItsShareBetweenTheBounds(double delivery, double expected)
    {
        var options = new IngestionOptions { CheckpointSeconds = 10, DeliveryShare = 0.1, CheckpointMaxSeconds = 120 };
        Assert.Equal(expected, options.NextCheckpointSeconds(delivery), 9);
    }

    [Fact]
    public void AMaximumBelowTheIntervalLeavesTheInterval()
    {
        var options = new IngestionOptions { CheckpointSeconds = 10, DeliveryShare = 0.1, CheckpointMaxSeconds = 5 };
        Assert.Equal(10, options.NextCheckpointSeconds(4), 9);
    }
}
