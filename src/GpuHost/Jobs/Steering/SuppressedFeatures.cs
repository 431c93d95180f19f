using Actors.Analysis.Steering;
using Actors.Sae.Architectures;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>
/// The features a disentanglement job suppresses (seed 001 Sec. 7): F by Eq. 9 from the mean image-level activations
/// on a corpus with the attribute and one without (first <c>maxImages</c> of each), then F* by the decoder-cosine
/// expansion when λ is given (Sec. 7.2). Suppression is zero ablation of F* at the hook, error term kept.
/// </summary>
public sealed record SuppressedFeatures(int[] Selected, int[] Suppressed, int ImagesWith, int ImagesWithout)
{
    public static async Task<SuppressedFeatures> FindAsync(SteeringSession session, CorpusEntries with, CorpusEntries without,
        double tau, double? lambda, int maxImages, JobContext context, CancellationToken ct)
    {
        context.Report(0, 2, $"mean activations on '{with.CorpusId}'");
        var (meanWith, imagesWith) = await session.MeanActivationsAsync(with, First(with, maxImages), ct);
        context.Report(1, 2, $"mean activations on '{without.CorpusId}'");
        var (meanWithout, imagesWithout) = await session.MeanActivationsAsync(without, First(without, maxImages), ct);
        return Of(session.Target.Autoencoder, meanWith, imagesWith, meanWithout, imagesWithout, tau, lambda);
    }

    /// <summary>F by Eq. 9 from the mean image-level activations with and without the attribute, then F* (Sec. 7.2) when λ is given.</summary>
    public static SuppressedFeatures Of(SparseAutoencoder sae, double[] meanWith, int imagesWith, double[] meanWithout, int imagesWithout,
        double tau, double? lambda)
    {
        var selected = SpuriousFeatures.Select(meanWith, meanWithout, tau);
        var suppressed = lambda is { } l ? SpuriousFeatures.ExpandByDecoderCosine(sae, selected, l) : selected;
        return new SuppressedFeatures(selected, suppressed, imagesWith, imagesWithout);
    }

    public SteeringSplice Splice(SteeringSession session) => Splice(session.Target.Autoencoder);

    /// <summary>Zero ablation of every suppressed latent at the hook, error term kept (Sec. 7.1).</summary>
    public SteeringSplice Splice(SparseAutoencoder sae) => new(sae, [.. Suppressed.Select(LatentIntervention.Ablate)]);

    public static int[] First(CorpusEntries corpus, int count) => [.. Enumerable.Range(0, Math.Min(count, corpus.Items.Count))];
}

/// <summary>A figure without and with the suppression.</summary>
public sealed record BeforeAfter(double Before, double After);

/// <summary>Zero-shot accuracy of one group of the evaluation corpus without and with the suppression.</summary>
public sealed record GroupAccuracy(string Group, int Images, double Before, double After);
