using Actors.Grains.Registry;
using Actors.Grains.Sketches;
using Orleans;

namespace Actors.Grains.Hosts;

/// <summary>
/// What a client needs of CLIP and SAE weights without loading them: a GPU-host silo loads (once per host) and checks
/// them. Only host silos have its class, so Orleans places it there; use key <see cref="Key"/>. A caller's bad
/// artifact (missing folder or file, no weights, wrong shapes, corrupt bytes, unknown release) fails the call with
/// <see cref="InvalidArtifactException"/>.
/// </summary>
[Alias("actors.IModelHostGrain")]
public interface IModelHostGrain : IGrainWithIntegerKey
{
    const long Key = 0;

    /// <summary>
    /// Loads (and so checks every tensor of) the CLIP model at <paramref name="path"/> and describes it; a stated MLP
    /// <paramref name="activation"/> (transformers hidden_act name) overrides what its folder says. An unknown
    /// activation fails on field "activation".
    /// </summary>
    [ResponseTimeout("00:10:00")]   // the first load of a large checkpoint reads gigabytes
    Task<ModelRecord> InspectModelAsync(string path, string? activation = null);

    /// <summary>
    /// Loads the SAE at <paramref name="path"/>: a SAELens folder, or a PyTorch .pt file of <paramref name="release"/>
    /// ("vit-prisma", "patchsae", "attributing-clip") with its top-k <paramref name="k"/>.
    /// </summary>
    [ResponseTimeout("00:10:00")]
    Task<SaeCheckpoint> InspectSaeAsync(string path, string? release, int? k);

    /// <summary>Unit-norm text embeddings of <paramref name="concepts"/> with the model at <paramref name="modelPath"/>'s
    /// text tower (prompt template and tokenizer of that model, the MLP <paramref name="activation"/> it was registered
    /// with), one row per concept.</summary>
    [ResponseTimeout("00:10:00")]
    Task<float[][]> EmbedConceptsAsync(string modelPath, string[] concepts, string? activation = null);

    /// <summary>The reference image's stored thumbnail with its patch heatmap drawn on it, as PNG; null when the
    /// thumbnail is not in the blob store.</summary>
    Task<byte[]?> DrawOverlayAsync(ReferenceImage reference);

    /// <summary>
    /// Steers at most 16 images through an SAE (seed 001 Sec. 6.1): the interventions at its hook with the error term
    /// kept, and per image the top concepts of CLIP's distribution over a vocabulary before and after. A bad request
    /// field fails with <see cref="InvalidArtifactException"/> naming it ("images[1].imageId", "interventions[0].op").
    /// </summary>
    [ResponseTimeout("00:05:00")]
    Task<Actors.Grains.Steering.SteeringAnswer> SteerAsync(Actors.Grains.Steering.SteeringQuery query);

    /// <summary>
    /// Instance-wise relevance of every active latent of the SAE for one image and one prompt (seed 000 Sec. 4.1, Eq. 5;
    /// baselines Sec. 5.1), the image decoded and preprocessed as ingestion does. Input the host cannot use fails with
    /// <see cref="RejectedRequestException"/> naming the request field.
    /// </summary>
    [ResponseTimeout("00:05:00")]   // the first call loads the model; Integrated Gradients runs ten backward passes
    Task<ImageAttributionResult> AttributeAsync(ImageAttributionRequest request);

    /// <summary>
    /// Latents of SAE <paramref name="saeId"/> ranked by the semantic alignment of their reference images to
    /// <paramref name="text"/> embedded by the SAE's model's text tower (seed 000 Eq. 2 as a query), the
    /// <paramref name="top"/> best. The first search of an SAE embeds every distinct reference image; later ones reuse
    /// the means until the latents' reference sets change. An unknown SAE fails with <see cref="InvalidArtifactException"/> on "saeId".
    /// </summary>
    [ResponseTimeout("00:10:00")]
    Task<LatentSearchResult> SearchLatentsAsync(string saeId, string text, int top);
}
