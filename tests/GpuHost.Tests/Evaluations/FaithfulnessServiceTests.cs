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

    /// <summary>Random references (App. B.2 "Deletion (random)"): birds on water and ducks on land, none of them a sample.</summary>
    static readonly (string Id, string Label, float[] Embedding)[] References =
        [.. Scenes("bird", "water", 4, 21, (0.8, 1.2)), .. Scenes("duck", "land", 3, 22, (1, 2))];

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
        var report = FaithfulnessService.Run(Model(), Encode(All), Prompts(), Encode(References), seed: 5, methods: [FaithfulnessMethods.ActTimesGradient]);
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
        var report = FaithfulnessService.Run(Model(), Encode(All), Prompts(), Encode(References), seed: 5, methods: [FaithfulnessMethods.ActTimesGradient]);
        var orderOf = new[] { "duck", "bird" }.ToDictionary(c => c, c => Order(Enumerable.Range(0, Latents)
            .Select(j => All.Where(s => s.Label == c).Average(s => ActTimesGradient(s.Embedding, PromptOf(c), j))).ToArray()));
        var expected = MeanCurve(All.Select(s => Curve(s.Embedding, PromptOf(s.Label), orderOf[s.Label], insertion: false)));
        for (int i = 0; i <= 10; i++) Assert.Equal(expected[i], report.Methods.Single().GlobalDeletion.Mean[i], 1e-6);
    }

    [Fact]
    public void RandomReferenceDeletionRemovesTheLatentsOfLargestMeanRelevanceForTheClassPromptOverTheReferences()
    {
        var report = FaithfulnessService.Run(Model(), Encode(All), Prompts(), Encode(References), seed: 5,
            methods: [FaithfulnessMethods.ActTimesGradient, FaithfulnessMethods.LogitLens]);
        Assert.Equal(References.Select(r => r.Id), report.RandomReferenceImages);

        // The naive reference: per class, Act×Grad in closed form for the class's prompt on every reference, averaged.
        var orderOf = new[] { "duck", "bird" }.ToDictionary(c => c, c => Order(Enumerable.Range(0, Latents)
            .Select(j => References.Average(r => ActTimesGradient(r.Embedding, PromptOf(c), j))).ToArray()));
        Assert.NotEqual(Order(Enumerable.Range(0, Latents).Select(j => All.Where(s => s.Label == "duck")
            .Average(s => ActTimesGradient(s.Embedding, PromptOf("duck"), j))).ToArray()), orderOf["duck"]);   // not the global order
        var curves = All.Select(s => Curve(s.Embedding, PromptOf(s.Label), orderOf[s.Label], insertion: false)).ToArray();
        var expected = MeanCurve(curves);
        var actual = report.Methods[0].RandomDeletion;
        double worst = Enumerable.Range(0, 11).Max(i => Math.Abs(expected[i] - actual.Mean[i]));
        Assert.True(worst < 1e-6, $"max |Δ| of the mean curve {worst:G3}");
        // Trapezoid AUC of each sample, its mean, and the SEM of the 9 interleaved subsets' AUCs (n − 1).
        var auc = curves.Select(c => (c.Sum() - (c[0] + c[10]) / 2) / 10).ToArray();
        Assert.Equal(auc.Average(), actual.Auc, 1e-6);
        var subsets = Enumerable.Range(0, 9).Select(k => Enumerable.Range(0, All.Length).Where(s => s % 9 == k).Average(s => auc[s])).ToArray();
        for (int k = 0; k < 9; k++) Assert.Equal(subsets[k], actual.SubsetAucs[k], 1e-6);
        double mean = subsets.Average();
        Assert.Equal(Math.Sqrt(subsets.Sum(a => (a - mean) * (a - mean)) / 8) / 3, actual.AucStandardError, 1e-6);

        // Logit Lens reads no image: its orders, whatever the references, are the global ones (why Fig. 8 finds it best).
        var lens = report.Methods[1];
        Assert.Equal(lens.GlobalDeletion.Mean, lens.RandomDeletion.Mean);
    }

    [Fact]
    public void WithTheClasssOwnSamplesAsRandomReferencesDeletionIsGlobalDeletionForEveryMethodButTheRandomBaseline()
    {
        var ducks = Encode(All.Where(s => s.Label == "duck").ToArray());
        var report = FaithfulnessService.Run(Model(), ducks, Prompts(), ducks, seed: 3);
        // "random" draws fresh scores for an image as a reference (its own stream), so only its ordering by chance differs.
        foreach (var m in report.Methods.Where(m => m.Method != FaithfulnessMethods.Random))
        {
            Assert.Equal(m.GlobalDeletion.Mean, m.RandomDeletion.Mean);
            Assert.Equal((m.GlobalDeletion.Auc, m.GlobalDeletion.AucStandardError), (m.RandomDeletion.Auc, m.RandomDeletion.AucStandardError));
        }
        // Against other references the orders, and so the curves, move.
        var other = FaithfulnessService.Run(Model(), ducks, Prompts(), Encode(References), seed: 3, methods: [FaithfulnessMethods.ActTimesGradient]);
        Assert.NotEqual(other.Methods[0].GlobalDeletion.Mean, other.Methods[0].RandomDeletion.Mean);
    }

    [Fact]
    public void RandomReferencesAreASeededDrawWithoutReplacementApartFromTheEvaluationImagesDraw()
    {
        var corpus = Enumerable.Range(0, 1000).ToList();
        var references = EvaluationInputs.Draw(corpus, 500, EvaluationInputs.RandomReferenceSeed(7));
        Assert.Equal(500, references.Distinct().Count());
        Assert.Equal(references, EvaluationInputs.Draw(corpus, 500, EvaluationInputs.RandomReferenceSeed(7)));
        Assert.NotEqual(references, EvaluationInputs.Draw(corpus, 500, EvaluationInputs.RandomReferenceSeed(8)));
        Assert.NotEqual(references, EvaluationInputs.Draw(corpus, 500, 7));   // not the evaluation images' own draw
        Assert.Equal(corpus.Take(300), EvaluationInputs.Draw(corpus.Take(300).ToList(), 500, EvaluationInputs.RandomReferenceSeed(7)));   // capped by the corpus
    }

    [Fact]
    public void RandomDeletesASamplesActiveLatentsBeforeAnyOther()
    {
        var report = FaithfulnessService.Run(Model(), Encode(All), Prompts(), Encode(References), seed: 9, methods: [FaithfulnessMethods.Random]);
        // Each scene has two active latents: after two random deletions only its noise (the error term) is left.
        double noiseOnly = All.Average(s => Cosine([.. s.Embedding.Select((v, i) => i < Latents ? 0f : v)], PromptOf(s.Label)));
        Assert.Equal(noiseOnly, report.Methods.Single().LocalDeletion.Mean[2], 1e-6);
        Assert.Equal(noiseOnly, report.Methods.Single().LocalDeletion.Mean[10], 1e-6);
    }

    [Fact]
    public void EverySixMethodsDeletionCurvesStartAtTheUneditedOutputAndInsertionAtTheErrorTermAlone()
    {
        var report = FaithfulnessService.Run(Model(), Encode(All), Prompts(), Encode(References), seed: 1);
        Assert.Equal(FaithfulnessMethods.All, report.Methods.Select(m => m.Method));
        double unedited = All.Average(s => Cosine(s.Embedding, PromptOf(s.Label)));
        double errorOnly = All.Average(s => Cosine([.. s.Embedding.Select((v, i) => i < Latents ? 0f : v)], PromptOf(s.Label)));
        foreach (var m in report.Methods)
        {
            Assert.Equal(unedited, m.LocalDeletion.Mean[0], 1e-6);
            Assert.Equal(unedited, m.RandomDeletion.Mean[0], 1e-6);
            Assert.Equal(errorOnly, m.LocalInsertion.Mean[0], 1e-6);
        }
    }

    [Fact]
    public void FewerSamplesThanNineSubsetsAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => FaithfulnessService.Run(Model(), Encode(All[..8]), Prompts(), Encode(References), seed: 0));
        Assert.Contains("cannot fill 9 subsets", e.Message);
    }
}
