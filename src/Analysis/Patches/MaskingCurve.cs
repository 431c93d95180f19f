namespace Actors.Analysis.Patches;

/// <summary>One line of seed 002 Fig. 5b: accuracy against k for one selection and mask mode.</summary>
public sealed record MaskingCurve(LatentSelection Selection, MaskMode Mode, MaskingPoint[] Points);
