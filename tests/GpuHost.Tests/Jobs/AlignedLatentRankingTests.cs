using Actors.GpuHost.Jobs.Labelling;

namespace Actors.GpuHost.Tests.Jobs;

/// <summary>Each concept's best-aligned latents by s_j(t) (seed 000 Eq. 2), kept while latents stream past.</summary>
public sealed class AlignedLatentRankingTests
{
    [Fact]
    public void EachConceptKeepsItsBestLatentsThatBeatTheEmptyPromptBestFirstTiesToTheLowerLatent()
    {
        var ranking = new AlignedLatentRanking(concepts: 2, keep: 2);
        ranking.Add(0, [0.10f, -0.2f]);
        ranking.Add(1, [0.30f, 0.0f]);
        ranking.Add(2, [0.10f, 0.05f]);   // ties latent 0 for concept 0 but comes later: kept only if room
        ranking.Add(3, [0.20f, -0.1f]);
        Assert.Equal([(1, 0.30f), (3, 0.20f)], ranking.Of(0).Select(e => (e.Latent, (float)e.Score)));
        Assert.Equal([(2, 0.05f)], ranking.Of(1).Select(e => (e.Latent, (float)e.Score)));   // s ≤ 0 is not aligned
    }

    [Fact]
    public void KeepingNothingKeepsNothing()
    {
        var ranking = new AlignedLatentRanking(concepts: 1, keep: 0);
        ranking.Add(0, [0.9f]);
        Assert.Empty(ranking.Of(0));
    }
}
