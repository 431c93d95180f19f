namespace Actors.Analysis.Patches;

/// <summary>
/// Which k latents a mask turns on or off (seed 002 Sec. 4.1, Fig. 5b): the k most frequently active latents of the
/// image's class (class-level a_c), k latents drawn at random (seeded, one draw per class), or the k most frequently
/// active latents of the whole dataset (a_D, the same for every class).
/// </summary>
public enum LatentSelection { ClassTopK, RandomK, DatasetTopK }
