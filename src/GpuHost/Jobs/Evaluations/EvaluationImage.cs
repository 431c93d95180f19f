using Actors.Vision.Imaging;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// One labelled image an evaluation reads: its id (a corpus image id, or a world scene's split and index), its class
/// label, and how to get its pixels (decoding a file, rendering a scene). <see cref="Load"/> returns null, or throws,
/// when the image cannot be read; the evaluation goes on without it.
/// </summary>
public sealed record EvaluationImage(string ImageId, string Label, Func<RgbImage?> Load);
