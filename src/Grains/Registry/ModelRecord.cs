namespace Actors.Grains.Registry;

/// <summary>
/// A registered CLIP model: where its files are and the shape facts a researcher needs to pick a hook
/// (vision layers, width, tokens per image, image and patch size, embedding size).
/// </summary>
public sealed record ModelRecord(string Path, int VisionLayers, int VisionWidth, int TokensPerImage,
    int ImageSize, int PatchSize, int ProjectionDim);
