using Actors.GpuHost.Jobs.Evaluations;
using static Actors.GpuHost.Tests.Evaluations.PlantedWorld;

namespace Actors.GpuHost.Tests.Evaluations;

/// <summary>Seed 002 Sec. 4.1 and 4.2 on planted embeddings, where each masked reconstruction's class can be read off by hand.</summary>
public sealed class PatchEvaluationTests
{
    static readonly (string Id, string Label, float[] Embedding)[] All =
    [
        .. Scenes("duck", "water", 4, 21, (1, 2)), .. Scenes("duck", "land", 6, 22, (1, 2)),
        .. Scenes("bird", "water", 5, 23, (0.8, 1.2)), .. Scenes("bird", "land", 5, 24, (0.8, 1.2)),
    ];

    [Fact]
    public void MaskingOnTheClassTopLatentKeepsEveryImageRightAndOffLeavesOnlyTheBackgroundToDecide()
    {
        var samples = Encode(All);
        var report = MaskingService.Run(Model(), samples, samples, Prompts(), [1], seed: 3);
        double At(string selection, string mode) => report.Curves.Single(c => c.Selection == selection && c.Mode == mode).Points.Single().Accuracy;
        // On top-1: a duck decodes to a·e0 (cos 0.71 with the duck prompt, 0 with the bird's), a bird to a·e1.
        Assert.Equal(1.0, At("class", "on"));
        // Off top-1: only the background is left; water reads as duck, land as bird: ducks on water and birds on land are right.
        Assert.Equal((4 + 5) / 20.0, At("class", "off"));
        // The dataset's top latent is land (11 scenes): on it, land scenes read as bird, the rest decode to 0 and take the first class.
        Assert.Equal((5 + 4) / 20.0, At("dataset", "on"));
        Assert.Equal((20, 20, 2), (report.SelectionImages, report.EvaluationImages, report.Classes));
    }

    [Fact]
    public void ASharedSaeSortsEachClassesLatentsIntoHighHighToLowAndLowToHigh()
    {
        var before = Encode(All);
        // The second backbone also fires latent 5 on every bird (a new mapping) and no longer fires water on ducks.
        var after = Encode([.. All.Select(s =>
        {
            var x = (float[])s.Embedding.Clone();
            if (s.Label == "bird") x[5] = 1.5f;
            if (s.Label == "duck") x[Water] = 0;
            return (s.Id, s.Label, x);
        })]);
        // Ranks 1 and 2: high = the class's largest a_c, low = below its second largest.
        var report = SharedSaeService.Run(before, after, upperRank: 1, lowerRank: 2);
        var bird = report.Classes.Single(c => c.Label == "bird");
        var duck = report.Classes.Single(c => c.Label == "duck");
        Assert.Equal([Bird], bird.High);
        Assert.Empty(bird.HighToLow);
        Assert.Equal([5], bird.LowToHigh);
        Assert.Equal([Duck], duck.High);
        Assert.Empty(duck.HighToLow);
        Assert.Empty(duck.LowToHigh);
        Assert.Equal((1.0, 0.0, 0.5), (report.Mean.High, report.Mean.HighToLow, report.Mean.LowToHigh));
    }
}
