using Actors.GpuHost.Jobs.Evaluations;
using static Actors.GpuHost.Tests.Evaluations.PlantedWorld;

namespace Actors.GpuHost.Tests.Evaluations;

/// <summary>
/// Seed 000 Sec. 5.1 on planted embeddings, where deleting latent j is subtracting a_j e_j and the output is a cosine:
/// every curve point is checked against that arithmetic done by hand.
/// </summary>
public sealed class FaithfulnessServiceTests
{
    static readonly (string Id, string Label, float[] Embedding)[] All =
    [
        .. Scenes("duck", "water", 5, 1, (1, 2)), .. Scenes("duck", "land", 5, 2, (1, 2)),
        .. Scenes("bird", "water", 5, 3, (0.8, 1.2)), .. Scenes("bird", "land", 5, 4, (0.8, 1.2)),
    ];

    static float[] PromptOf(string label) => Prompts().Of(label);

    /// <summary>Point i of a sample's curve: y with the first i latents of <paramref name="order"/> deleted (or, inserting, only they kept).</summary>
    static double[] Curve(float[] x, float[] t, int[] order, bool insertion) => Enumerable.Range(0, 11).Select(i =>
    {
        var edited = (float[])x.Clone();
        var touched = order.Take(i).ToHashSet();
        for (int j = 0; j < Latents; j++)
            if (touched.Contains(j) != insertion) edited[j] = 0;   // deletion zeroes the touched; insertion zeroes the others
        return Cosine(edited, t);
    }).ToArray();

    static int[] Order(double[] relevance) => Enumerable.Range(0, Latents).OrderByDescending(j => relevance[j]).ThenBy(j => j).ToArray();

    static double[] MeanCurve(IEnumerable<double[]> curves)
    {
        var list = curves.ToList();
        return Enumerable.Range(0, 11).Select(i => list.Average(c => c[i])).ToArray();
    }

    [Fact]
    public void LocalDeletionAndInsertionOfActTimesGradAreTheCosinesAfterRemovingOrKeepingEachSamplesMostRelevantLatents()
    {
        var report = FaithfulnessService.Run(Model(), Encode(All), Prompts(), seed: 5, methods: [FaithfulnessMethods.ActTimesGradient]);
        var method = report.Methods.Single();
        var orders = All.Select(s => Order(Enumerable.Range(0, Latents).Select(j => ActTimesGradient(s.Embedding, PromptOf(s.Label), j)).ToArray())).ToArray();
        var deletion = MeanCurve(All.Select((s, n) => Curve(s.Embedding, PromptOf(s.Label), orders[n], insertion: false)));
        var insertion = MeanCurve(All.Select((s, n) => Curve(s.Embedding, PromptOf(s.Label), orders[n], insertion: true)));
        for (int i = 0; i <= 10; i++)
        {
            Assert.Equal(deletion[i], method.LocalDeletion.Mean[i], 1e-6);
            Assert.Equal(insertion[i], method.LocalInsertion.Mean[i], 1e-6);
        }
        // Trapezoid over the step fraction i/10; SEM over 9 subsets with n − 1.
        Assert.Equal((deletion.Sum() - (deletion[0] + deletion[10]) / 2) / 10, method.LocalDeletion.Auc, 1e-6);
        var subsets = method.LocalDeletion.SubsetAucs;
        Assert.Equal(9, subsets.Length);
        double mean = subsets.Average(), sd = Math.Sqrt(subsets.Sum(a => (a - mean) * (a - mean)) / 8);
        Assert.Equal(sd / 3, method.LocalDeletion.AucStandardError, 1e-12);
        Assert.Equal((20, 2, 10, 9), (report.Samples, report.Classes, report.Steps, report.Subsets));
    }

    [Fact]
    public void GlobalDeletionRemovesTheLatentsOfLargestMeanRelevanceOverTheSamplesClass()
    {
        var report = FaithfulnessService.Run(Model(), Encode(All), Prompts(), seed: 5, methods: [FaithfulnessMethods.ActTimesGradient]);
        var orderOf = new[] { "duck", "bird" }.ToDictionary(c => c, c => Order(Enumerable.Range(0, Latents)
            .Select(j => All.Where(s => s.Label == c).Average(s => ActTimesGradient(s.Embedding, PromptOf(c), j))).ToArray()));
        var expected = MeanCurve(All.Select(s => Curve(s.Embedding, PromptOf(s.Label), orderOf[s.Label], insertion: false)));
        for (int i = 0; i <= 10; i++) Assert.Equal(expected[i], report.Methods.Single().GlobalDeletion.Mean[i], 1e-6);
    }

    [Fact]
    public void RandomDeletesASamplesActiveLatentsBeforeAnyOther()
    {
        var report = FaithfulnessService.Run(Model(), Encode(All), Prompts(), seed: 9, methods: [FaithfulnessMethods.Random]);
        // Each scene has two active latents: after two random deletions only its noise (the error term) is left.
        double noiseOnly = All.Average(s => Cosine([.. s.Embedding.Select((v, i) => i < Latents ? 0f : v)], PromptOf(s.Label)));
        Assert.Equal(noiseOnly, report.Methods.Single().LocalDeletion.Mean[2], 1e-6);
        Assert.Equal(noiseOnly, report.Methods.Single().LocalDeletion.Mean[10], 1e-6);
    }

    [Fact]
    public void EverySixMethodsCurvesStartAtTheUneditedOutputAndInsertionAtTheErrorTermAlone()
    {
        var report = FaithfulnessService.Run(Model(), Encode(All), Prompts(), seed: 1);
        Assert.Equal(FaithfulnessMethods.All, report.Methods.Select(m => m.Method));
        double unedited = All.Average(s => Cosine(s.Embedding, PromptOf(s.Label)));
        double errorOnly = All.Average(s => Cosine([.. s.Embedding.Select((v, i) => i < Latents ? 0f : v)], PromptOf(s.Label)));
        foreach (var m in report.Methods)
        {
            Assert.Equal(unedited, m.LocalDeletion.Mean[0], 1e-6);
            Assert.Equal(errorOnly, m.LocalInsertion.Mean[0], 1e-6);
        }
    }

    [Fact]
    public void FewerSamplesThanNineSubsetsAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => FaithfulnessService.Run(Model(), Encode(All[..8]), Prompts(), seed: 0));
        Assert.Contains("cannot fill 9 subsets", e.Message);
    }
}
