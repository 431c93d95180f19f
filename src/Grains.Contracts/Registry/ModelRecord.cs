using Orleans;
namespace Actors.Grains.Registry;

/// <summary>
/// A registered CLIP model: where its files are and the shape facts a researcher needs to pick a hook
/// (vision layers, width, tokens per image, image and patch size, embedding size). No weight shape tells quick_gelu
/// from gelu, so the MLP activation is what the registration stated (<paramref name="Activation"/>, a transformers
/// hidden_act name; every host loads the model with it), or, when null — as in records stored before it was kept —
/// what the folder says; <paramref name="ActivationSource"/> names the activation the model runs with and where that
/// came from (ClipActivationResolver).
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.ModelRecord")]
public sealed record ModelRecord([property: Id(0)] string Path, [property: Id(1)] int VisionLayers, [property: Id(2)] int VisionWidth, [property: Id(3)] int TokensPerImage,
    [property: Id(4)] int ImageSize, [property: Id(5)] int PatchSize, [property: Id(6)] int ProjectionDim,
    [property: Id(7)] string? Activation = null, [property: Id(8)] string? ActivationSource = null)
{
    /// <summary>Both records load one model: the same files with the same stated activation (what host catalogs key on).</summary>
    public bool SameModelAs(ModelRecord other) => Path == other.Path && Activation == other.Activation;
}
