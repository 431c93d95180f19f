namespace Actors.Analysis.Patches;

/// <summary>
/// Seed 002 Sec. 4.1: "on top-k" keeps only the selected latents in the SAE decoder's linear combination (mask 1 on
/// them, 0 elsewhere); "off top-k" keeps all latents but the selected ones.
/// </summary>
public enum MaskMode { On, Off }
