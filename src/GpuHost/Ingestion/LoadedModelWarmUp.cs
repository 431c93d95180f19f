using Actors.Vision.Imaging;
using Microsoft.Extensions.Logging;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Compiles a newly loaded model's image path and forward in the background, so that the first ingestion that uses
/// it does not. The server runs without tiered compilation (src/ServerProcess.props), so every method of image
/// decoding (NetVips's interop, the preprocessor's resampler, thumbnails) and of the vision tower's kernels is
/// compiled at its first call; in a fresh process that was the first batch of the first ingestion, on its critical
/// path (perf: ≈ 0.12 s of one core compiling the image loader while the batch waited). A host loads a model when it
/// is registered, or at the latest when a job starts, so this mostly runs before any job. It decodes, preprocesses and
/// thumbnails two generated images through the loader's own per-image step (<see cref="ImageBatchLoader.Prepare"/>) —
/// a PNG at the model's crop size, as the world's scenes are, and a JPEG larger than a thumbnail, as photographs are —
/// and runs a forward of a few images on a vision tower of its own. The results are thrown away.
/// </summary>
public static class LoadedModelWarmUp
{
    /// <summary>Starts the warm-up. A failure is only logged, and is the task's result (null when it ran): the model's
    /// first real use meets the same error and reports it.</summary>
    public static Task<Exception?> Start(LoadedModel model, int thumbnailSize, ILogger logger) =>
        BackgroundWarmUp.Start($"the warm-up of model {model.Path}", logger, () =>
        {
            var vision = model.NewVision();
            int images = ModelStageWarmUp.Images;   // enough for every kernel to take a batch's multi-threaded path
            var pixels = new float[images * vision.PixelsPerImage];
            int crop = model.Preprocessor.CropWidth, large = Math.Max(crop, thumbnailSize) + 7;
            foreach (var encoded in new[] { ImageCodec.EncodePng(Pattern(crop)), ImageCodec.EncodeJpeg(Pattern(large)) })
                _ = ImageBatchLoader.Prepare(encoded, "warm-up image", model.Preprocessor, pixels.AsSpan(0, vision.PixelsPerImage), thumbnailSize);
            _ = vision.ResidualAfter(pixels, images, vision.Layers - 1);
        });

    /// <summary>A square RGB image with varied pixels (a flat one may take shortcuts a photograph does not).</summary>
    static RgbImage Pattern(int side)
    {
        var rgb = new byte[side * side * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 37 + i / 97);
        return new RgbImage(side, side, rgb);
    }
}
