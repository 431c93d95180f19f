namespace Actors.Analysis.Evaluation.ConceptReliance;

/// <summary>A sample outside the probed class whose output y(x, t_class) cleared the class's high-confidence bar.</summary>
public readonly record struct HighConfidenceSample(int Sample, double Score);
