namespace Actors.Analysis.Patches;

/// <summary>
/// Seed 002 Sec. 4.2, Fig. 17, for one class (or a dataset): latents highly active under both backbones (High), under
/// the zero-shot backbone only (HighToLow) and under the adapted backbone only (LowToHigh), in latent order.
/// </summary>
public sealed record AdaptationGroups(int[] High, int[] HighToLow, int[] LowToHigh);
