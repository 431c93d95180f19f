namespace Actors.Analysis.Evaluation.Faithfulness;

/// <summary>
/// The model output y(x, t) of one evaluation sample with every latent activation set to zero except
/// <paramref name="insertedLatents"/>, which keep their original values (seed 000 Sec. 5.1, App. B.2 insertion).
/// An empty span asks for the output with all latents ablated.
/// </summary>
public delegate double InsertionScorer(int sample, ReadOnlySpan<int> insertedLatents);
