using Actors.GpuHost.Ingestion;

namespace Actors.GpuHost.Tests.Ingestion;

/// <summary>
/// The checkpoint interval: CheckpointSeconds, stretched so that delivering the touched latents (at a delivery's cost
/// per latent) stays DeliveryShare of the time, up to CheckpointMaxSeconds.
/// </summary>
public class CheckpointIntervalTests
{
    [Theory]
    [InlineData(0, 100e-6, 10.0)]        // nothing to deliver: the configured interval
    [InlineData(5_000, 100e-6, 10.0)]    // 0.5 s is 5 % of 10 s: no stretch
    [InlineData(10_000, 100e-6, 10.0)]   // exactly the share
    [InlineData(30_000, 100e-6, 30.0)]   // 3 s of delivery: the next one 30 s later, so 3 / (30 + 3) of the time
    [InlineData(30_000, 50e-6, 15.0)]    // the same latents at half the cost each: half the interval
    [InlineData(500_000, 100e-6, 120.0)] // capped: a crash never redoes more than CheckpointMaxSeconds
    public void TheIntervalKeepsDeliveryWithinItsShareBetweenTheBounds(int latents, double secondsPerLatent, double expected)
    {
        var options = new IngestionOptions { CheckpointSeconds = 10, DeliveryShare = 0.1, CheckpointMaxSeconds = 120 };
        Assert.Equal(expected, options.CheckpointSecondsFor(latents, secondsPerLatent), 9);
    }

    [Fact]
    public void AMaximumBelowTheIntervalLeavesTheInterval()
    {
        var options = new IngestionOptions { CheckpointSeconds = 10, DeliveryShare = 0.1, CheckpointMaxSeconds = 5 };
        Assert.Equal(10, options.CheckpointSecondsFor(40_000, 100e-6), 9);
    }

    [Fact]
    public void BeforeAnyDeliveryIsTimedAWideSaesFirstIntervalIsStretchedByThePrior()
    {
        // ingest-wide's width: 28.7k latents touched in the first interval; at the default prior the first delivery
        // is expected to take 2 s, so its interval is 20 s rather than CheckpointSeconds.
        var options = new IngestionOptions();
        Assert.Equal(28_700 * options.DeliverySecondsPerLatent / options.DeliveryShare,
            options.CheckpointSecondsFor(28_700, options.DeliverySecondsPerLatent), 9);
        Assert.True(options.CheckpointSecondsFor(28_700, options.DeliverySecondsPerLatent) > options.CheckpointSeconds);
        Assert.Equal(options.CheckpointSeconds, options.CheckpointSecondsFor(1_000, options.DeliverySecondsPerLatent), 9);
    }
}
