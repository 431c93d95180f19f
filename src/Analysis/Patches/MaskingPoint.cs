namespace Actors.Analysis.Patches;

/// <summary>
/// Accuracy at one k: Accuracy pools all images (correct / total), MeanClassAccuracy averages the per-class
/// accuracies (the two agree on class-balanced sets such as ImageNet's validation split).
/// </summary>
public sealed record MaskingPoint(int K, double Accuracy, double MeanClassAccuracy);
