namespace Actors.Analysis.Alignment;

/// <summary>A concept of a <see cref="ConceptSet"/> (its label and index) with a score: s_j(t) (seed 000 Eq. 2) or LogitLens_j(t) (Eq. 3).</summary>
public sealed record ConceptScore(string Label, int Index, double Score);
