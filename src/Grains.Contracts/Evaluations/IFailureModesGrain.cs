using Orleans;

namespace Actors.Grains.Evaluations;

/// <summary>The latest failure detection of one class of one SAE, key "{sae}/{class}" (GET /api/saes/{sae}/failure-modes?class=).</summary>
[Alias("actors.IFailureModesGrain")]
public interface IFailureModesGrain : IGrainWithStringKey
{
    static string KeyOf(string saeId, string classLabel) => $"{saeId}/{classLabel}";

    /// <summary>Replaces the stored run; returns the one it replaced (whose flagged latents the caller may need to clear).</summary>
    Task<ClassFailureModes?> SetAsync(ClassFailureModes run);
    Task<ClassFailureModes?> GetAsync();
}
