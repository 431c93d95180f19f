using Actors.Analysis.Gradients;
using Actors.GpuHost.Ingestion;
using Actors.GpuHost.Jobs.Evaluations;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Tensors.Backends;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;

namespace Actors.GpuHost.Tests.Evaluations;

/// <summary>
/// Image embeddings planted in CLIP's 16-d embedding space, read by an image_embeds top-4 SAE whose encoder and decoder
/// are the first eight basis vectors: latent 0 is a duck, 1 a bird, 2 water, 3 land, 4-7 never fire; dimensions 8-15
/// hold a little noise the SAE does not read (its error term). Class prompts: duck = e0 + e2 (the model has learned that
/// ducks sit on water), bird = e1 + e3. A tiny random CLIP only carries the shapes (its projection dimension is 16).
/// </summary>
internal static class PlantedWorld
{
    public const int Dim = 16, Latents = 8, Duck = 0, Bird = 1, Water = 2, Land = 3;

    public static EvaluationModel Model()
    {
        var weights = RandomClipModel.Generate(RandomClipModel.Preset("tiny"), 3);
        var loaded = new LoadedModel("planted", new ClipModel(new CpuBackend(), weights), new ClipPreprocessor(weights.Config.Vision.ImageSize), weights);
        return new EvaluationModel(loaded, Sae(), SaeHookSpec.ImageEmbeds);
    }

    public static SparseAutoencoder Sae()
    {
        var encoder = new float[Latents * Dim];   // W_encᵀ (d_sae, d_in)
        var decoder = new float[Latents * Dim];   // W_dec (d_sae, d_in)
        for (int j = 0; j < Latents; j++) { encoder[j * Dim + j] = 1; decoder[j * Dim + j] = 1; }
        return SparseAutoencoder.Create(new TopKSaeConfig(Dim, Latents, 4) { Hook = SaeHookSpec.ImageEmbeds }, encoder, new float[Latents], decoder, new float[Dim]);
    }

    public static ClassPrompts Prompts() => new(["duck", "bird"], [Basis(Duck, Water), Basis(Bird, Land)]);

    /// <summary>t_empty: a direction no scene has.</summary>
    public static float[] EmptyPrompt() => Basis(7);

    /// <summary>
    /// Scenes "{class}/{background}/{n}": the object's coefficient drawn from <paramref name="objectRange"/>, the
    /// background's from [1.0, 1.4] on water and [0.5, 1.5] on land, noise N(0, 0.03²) in dimensions 8-15.
    /// </summary>
    public static (string Id, string Label, float[] Embedding)[] Scenes(string label, string background, int count, int seed,
        (double Low, double High) objectRange)
    {
        var rng = new Random(seed);
        int objectLatent = label == "duck" ? Duck : Bird, backgroundLatent = background == "water" ? Water : Land;
        var (low, high) = background == "water" ? (1.0, 1.4) : (0.5, 1.5);
        return Enumerable.Range(0, count).Select(n =>
        {
            var x = new float[Dim];
            x[objectLatent] = (float)(objectRange.Low + rng.NextDouble() * (objectRange.High - objectRange.Low));
            x[backgroundLatent] = (float)(low + rng.NextDouble() * (high - low));
            for (int i = Latents; i < Dim; i++) x[i] = (float)(0.03 * Gaussian(rng));
            return ($"{label}/{background}/{n:D3}", label, x);
        }).ToArray();
    }

    public static EncodedSamples Encode(params (string Id, string Label, float[] Embedding)[][] groups)
    {
        var all = groups.SelectMany(g => g).ToArray();
        return EncodedSamples.FromEmbeddings(Sae(), [.. all.Select(s => s.Id)], [.. all.Select(s => s.Label)], [.. all.Select(s => s.Embedding)]);
    }

    /// <summary>y(x, t), in double.</summary>
    public static double Cosine(float[] x, float[] t) => ImageTextScore.Cosine(x, t);

    /// <summary>Act×Grad at the image embedding in closed form (seed 000 Eq. 27, 29): R_j = a_j v_j·(t̂ − y x̂)/‖x‖ with v_j = e_j.</summary>
    public static double ActTimesGradient(float[] x, float[] t, int latent)
    {
        double xn = Norm(x), tn = Norm(t), y = Cosine(x, t);
        return x[latent] * (t[latent] / tn - y * x[latent] / xn) / xn;
    }

    public static double Norm(float[] v) => Math.Sqrt(v.Sum(a => (double)a * a));

    static float[] Basis(params int[] dims)
    {
        var v = new float[Dim];
        foreach (int d in dims) v[d] = 1;
        return v;
    }

    static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
