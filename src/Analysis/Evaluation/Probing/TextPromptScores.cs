namespace Actors.Analysis.Evaluation.Probing;

/// <summary>Text-image probing scores: seed 000 Eq. 4, y(x, t) = x/‖x‖ · t/‖t‖, for a class prompt over image embeddings.</summary>
public static class TextPromptScores
{
    public static double[] Cosine(ReadOnlySpan<float> text, IReadOnlyList<float[]> images)
    {
        double textNorm = Norm(text);
        if (textNorm == 0) throw new ArgumentException("the text embedding is zero");
        var y = new double[images.Count];
        for (int s = 0; s < y.Length; s++)
        {
            var x = images[s];
            if (x.Length != text.Length) throw new ArgumentException($"image {s} has {x.Length} dimensions, the text {text.Length}");
            double dot = 0;
            for (int i = 0; i < x.Length; i++) dot += (double)x[i] * text[i];
            double imageNorm = Norm(x);
            y[s] = imageNorm == 0 ? 0 : dot / (imageNorm * textNorm);
        }
        return y;
    }

    /// <summary>
    /// App. D.2's enriched prompt: the mean of the template prompts' text embeddings ("object", "an image of a object",
    /// "a object"), each normalised to unit length first, as in CLIP's prompt ensembling. CLIP also renormalises the
    /// mean; no cosine (so no AUC) changes by it. (The jobs embed the templated prompt with the text tower and CLIP's
    /// ensembling, GpuHost's TemplatedPrompts.)
    /// </summary>
    public static float[] MeanEmbedding(IReadOnlyList<float[]> templateEmbeddings)
    {
        if (templateEmbeddings.Count == 0) throw new ArgumentException("no template embeddings");
        int d = templateEmbeddings[0].Length;
        var mean = new double[d];
        foreach (var t in templateEmbeddings)
        {
            if (t.Length != d) throw new ArgumentException($"template embeddings of {d} and {t.Length} dimensions");
            double norm = Norm(t);
            for (int i = 0; i < d; i++) mean[i] += t[i] / norm / templateEmbeddings.Count;
        }
        return mean.Select(v => (float)v).ToArray();
    }

    private static double Norm(ReadOnlySpan<float> v)
    {
        double ss = 0;
        foreach (float x in v) ss += (double)x * x;
        return Math.Sqrt(ss);
    }
}
