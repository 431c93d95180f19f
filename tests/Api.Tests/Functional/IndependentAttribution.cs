using Actors.Analysis.Gradients;
using Actors.Api.Tests.Fixtures;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.Tensors.Backends;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Actors.Vision.Tokenization;

namespace Actors.Api.Tests.Functional;

/// <summary>
/// Act×Grad for one image and prompt computed without the host or the relevance classes: the test world's files
/// loaded directly, the image preprocessed as its preprocessor_config.json says, h and ∂y/∂h from src/Analysis's
/// <see cref="HookGradient"/>, the SAE's encoding, and then seed 000 Eq. 5 written out per token,
/// R_j = Σ_r a_{r,j} v_j·∇_{h_r} y with v_j = W_dec[j]/s, and the bias and error terms b·∇y and ε·∇y (App. B.1).
/// </summary>
public sealed class IndependentAttribution
{
    public static readonly SaeHookSpec Hook = new(TestWorld.Layer, TokenSelection.All, $"blocks.{TestWorld.Layer}.hook_resid_post");

    public IndependentAttribution(TestWorld world)
    {
        var weights = ClipCheckpoint.Load(world.ModelFolder);
        Model = new ClipModel(new CpuBackend(), weights);
        Gradient = new HookGradient(Model.Vision, weights.Vision, Hook);
        Preprocessor = ClipPreprocessor.FromPreprocessorConfig(Path.Combine(world.ModelFolder, "preprocessor_config.json"));
        Sae = SaeLensFolder.Read(world.SaeFolder);
        Tokenizer = ClipTokenizer.FromDirectory(world.ModelFolder);
    }

    public ClipModel Model { get; }
    public HookGradient Gradient { get; }
    public ClipPreprocessor Preprocessor { get; }
    public SparseAutoencoder Sae { get; }
    public ClipTokenizer Tokenizer { get; }

    public float[] Pixels(byte[] encoded)
    {
        var pixels = new float[Preprocessor.FloatsPerImage];
        Preprocessor.Preprocess(ImageCodec.Decode(encoded, "test image"), pixels);
        return pixels;
    }

    /// <summary>t for a prompt as written (no template), through the text tower.</summary>
    public float[] Text(string prompt)
    {
        var (ids, _) = Tokenizer.EncodeBatch([prompt], Model.Text.ContextLength);
        return Model.Text.Encode(ids, 1);
    }

    /// <summary>y, R_j per active latent, the bias and error terms, h·∇y, and each latent's activations per token.</summary>
    public (double Y, Dictionary<int, double> Relevance, double Bias, double Error, double HDotGradient, Dictionary<int, float[]> TokenActivations)
        ActTimesGradient(float[] pixels, float[] text)
    {
        var image = Gradient.Capture(pixels);
        var a = Sae.Encode(image.Rows, image.RowCount);
        var g = Gradient.Evaluate(image, text);
        int w = image.Width;
        double scale = Sae.Config.ActivationScale, bias = 0, error = 0, hg = 0;
        var reconstruction = Sae.Decode(a);
        var relevance = new Dictionary<int, double>();
        var tokens = new Dictionary<int, float[]>();
        for (int r = 0; r < image.RowCount; r++)
        {
            var gr = g.Row(r);
            for (int n = a.RowStart[r]; n < a.RowStart[r + 1]; n++)
            {
                if (a.Values[n] <= 0) continue;
                int j = a.Indices[n];
                double dot = 0;
                for (int i = 0; i < w; i++) dot += (double)Sae.DecoderWeights[j * w + i] / scale * gr[i];
                relevance[j] = relevance.GetValueOrDefault(j) + a.Values[n] * dot;
                if (!tokens.TryGetValue(j, out var perToken)) tokens[j] = perToken = new float[image.RowCount];
                perToken[r] = a.Values[n];
            }
            for (int i = 0; i < w; i++)
            {
                double h = image.Rows[r * w + i], b = Sae.DecoderBias[i] / scale;
                bias += b * gr[i];
                error += (h - reconstruction[r * w + i]) * gr[i];
                hg += h * gr[i];
            }
        }
        return (g.Score, relevance, bias, error, hg, tokens);
    }
}
