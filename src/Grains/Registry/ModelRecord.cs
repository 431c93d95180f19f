namespace Actors.Grains.Registry;

/// <summary>
/// A registered CLIP model: where its files are, which checkpoint layout they use ("huggingface" or "openclip"),
/// and the shape facts a researcher needs to pick a hook (layers, width, tokens per image, image size).
/// </summary>
public sealed record ModelRecord(string Path, string Layout, int VisionLayers, int VisionWidth, int TokensPerImage,
    int ImageSize, int PatchSize, int ProjectionDim);
