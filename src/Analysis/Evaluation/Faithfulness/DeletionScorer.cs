namespace Actors.Analysis.Evaluation.Faithfulness;

/// <summary>
/// The model output y(x, t) (seed 000 Eq. 4: cosine similarity of image and class-prompt embeddings) of one evaluation
/// sample with the activations of <paramref name="deletedLatents"/> set to zero and every other latent as the SAE
/// produced it (seed 000 Sec. 5.1 deletion). An empty span asks for the unablated output.
/// </summary>
public delegate double DeletionScorer(int sample, ReadOnlySpan<int> deletedLatents);
