using Actors.Sae;
using Actors.Sae.Architectures;
using Microsoft.Extensions.Logging;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Compiles the model stage's code on a spare core while an ingestion starts. The server runs without tiered
/// compilation (src/ServerProcess.props), so every kernel of the forward and the encode is compiled at its first call;
/// in a fresh process the first batch did that on one core while the other stood idle, since the job's start-up
/// (corpus calls, the first images' decoding) is a chain of first calls too. This runs the same calls on a few blank
/// images, on a vision tower of its own (the ingestion's tower keeps its buffers; the SAE encoder is safe to call from
/// two threads), so the compiling overlaps the start-up instead of following it. Its result is thrown away.
/// </summary>
public static class ModelStageWarmUp
{
    /// <summary>Enough images for every kernel to take the multi-threaded path that a batch takes (so its code is the
    /// code compiled): at the shipped world CLIP's 65 tokens, 260 rows.</summary>
    internal const int Images = 4;

    /// <summary>Starts the warm-up. A failure is only logged, and is the task's result (null when it ran): the ingestion's
    /// own first batch meets the same error and reports it.</summary>
    public static Task<Exception?> Start(LoadedModel model, SparseAutoencoder sae, SaeHookSpec hook, ILogger logger) =>
        BackgroundWarmUp.Start("the model stage's warm-up", logger, () =>
        {
            var config = model.Model.Config.Vision;
            var rows = hook.Read(model.NewVision(), new float[Images * 3 * config.ImageSize * config.ImageSize], Images);
            IngestionJob.Positive(sae.Encode(rows, Images * hook.RowsPerSequence(config.Tokens)));
        });
}
