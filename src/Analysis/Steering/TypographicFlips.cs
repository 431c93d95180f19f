namespace Actors.Analysis.Steering;

/// <summary>
/// How often written words change CLIP's zero-shot answer (seed 001 Sec. 7.2). The paper reports accuracy on the
/// attacked images (Table 2) and the clean accuracy drop; the flip rate here compares each image's prediction on its
/// words version with the prediction on the same image without words, under the same model (steered or not).
/// </summary>
public static class TypographicFlips
{
    /// <summary>Fraction of pairs i with predictedWithWords[i] ≠ predictedClean[i].</summary>
    public static double FlipRate(IReadOnlyList<int> predictedWithWords, IReadOnlyList<int> predictedClean)
    {
        if (predictedWithWords.Count != predictedClean.Count)
            throw new ArgumentException($"{predictedWithWords.Count} predictions with words, {predictedClean.Count} without: they must pair up");
        if (predictedClean.Count == 0) throw new ArgumentException("the flip rate of no image pairs is undefined");
        int flipped = 0;
        for (int i = 0; i < predictedClean.Count; i++) if (predictedWithWords[i] != predictedClean[i]) flipped++;
        return flipped / (double)predictedClean.Count;
    }
}
