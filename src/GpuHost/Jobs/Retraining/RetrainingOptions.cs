namespace Actors.GpuHost.Jobs.Retraining;

/// <summary>Configuration section "Retraining" of a GPU host.</summary>
public sealed class RetrainingOptions
{
    /// <summary>Where each retraining job keeps its checkpoint and writes the new SAE: {Folder}/{job id}/. Default
    /// {Silo:DataFolder}/retraining. Hosts that may resume each other's jobs must share it.</summary>
    public string? Folder { get; set; }
    /// <summary>Images per shuffle window of the training activations (ClipActivationSource).</summary>
    public int WindowImages { get; set; } = 256;
}
