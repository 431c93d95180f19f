namespace Actors.Analysis.Patches;

/// <summary>
/// Zero-shot classification of the evaluation images of <paramref name="classId"/> with the hooked layer replaced by
/// the SAE reconstruction from the latents <paramref name="mask"/> keeps (seed 002 Sec. 4.1, Fig. 5a).
/// </summary>
public delegate ClassAccuracy MaskedClassEvaluator(int classId, LatentMask mask);
