namespace Actors.Analysis.Patches;

/// <summary>How many of one class's evaluation images a zero-shot classifier labelled correctly.</summary>
public readonly record struct ClassAccuracy(int Correct, int Total);
