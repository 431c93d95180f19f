namespace Actors.Analysis.Patches;

/// <summary>Seed 002 Table 1's first columns: the average number of latents per class in each group.</summary>
public sealed record AdaptationGroupCounts(double High, double HighToLow, double LowToHigh);
