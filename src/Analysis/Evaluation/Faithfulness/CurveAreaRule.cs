namespace Actors.Analysis.Evaluation.Faithfulness;

/// <summary>
/// How a curve of steps+1 points becomes one area. <see cref="Trapezoid"/> integrates over the step fraction
/// x = i/steps ∈ [0, 1], so the area is in the units of the score (seed 000 reports it in output-y percent).
/// <see cref="MeanOfPoints"/> is the plain mean of the points, which is what the authors' released script
/// (experiments/eval_faithfulness.py) prints as "AUC"; it weights the two end points fully.
/// </summary>
public enum CurveAreaRule { Trapezoid, MeanOfPoints }
