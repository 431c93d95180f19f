using Orleans;

namespace Actors.Grains.Evaluations;

/// <summary>
/// What a latent shows of a failure-detection run that flagged it for <paramref name="ClassLabel"/> (seed 000 Eq. 8):
/// on how many high-confidence non-class images of <paramref name="CorpusId"/> its relevance was unexpected, the largest
/// finite z-score (null when every one was infinite, σ̂ = 0), a few of those images, and the job that found it.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.LatentFailureMode")]
public sealed record LatentFailureMode([property: Id(0)] string ClassLabel, [property: Id(1)] string CorpusId, [property: Id(2)] string? JobId,
    [property: Id(3)] int Samples, [property: Id(4)] double? MaxZScore, [property: Id(5)] string[] ExampleImages)
{
    public static LatentFailureMode From(ClassFailureModes run, FailureModeLatent latent) => new(run.ClassLabel, run.CorpusId, run.JobId,
        latent.Samples.Length, latent.Samples.Where(s => s.ZScore is not null).Select(s => s.ZScore).Max(),
        [.. latent.Samples.OrderByDescending(s => s.ZScore ?? double.PositiveInfinity).Take(5).Select(s => s.ImageId)]);
}
