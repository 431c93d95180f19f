using Orleans;
namespace Actors.Grains.Registry;

/// <summary>
/// A registered CLIP model: where its files are and the shape facts a researcher needs to pick a hook
/// (vision layers, width, tokens per image, image and patch size, embedding size).
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.ModelRecord")]
public sealed record ModelRecord([property: Id(0)] string Path, [property: Id(1)] int VisionLayers, [property: Id(2)] int VisionWidth, [property: Id(3)] int TokensPerImage,
    [property: Id(4)] int ImageSize, [property: Id(5)] int PatchSize, [property: Id(6)] int ProjectionDim);
