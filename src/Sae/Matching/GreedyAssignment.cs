namespace Actors.Sae.Matching;

/// <summary>A scored (row, column) pair an approximate assignment may choose.</summary>
public readonly record struct CandidatePair(int Row, int Col, double Score);

/// <summary>
/// The approximation used when the dense assignment is too large: take candidate pairs best first (ties: lower
/// row, then lower column) and keep a pair when neither end is taken yet. This greedy matching's total is at least
/// half the optimum over the same candidates (Avis 1983, "A survey of heuristics for the weighted matching
/// problem"); with near-permutations — each new latent has one clearly best old latent — it finds the same pairs.
/// </summary>
public static class GreedyAssignment
{
    /// <summary>For each row, the column assigned to it or −1. Pairs scoring below <paramref name="minimum"/> are skipped.</summary>
    public static int[] Maximise(IEnumerable<CandidatePair> candidates, int rows, int cols, double minimum = double.NegativeInfinity)
    {
        var ordered = candidates.Where(c => c.Score >= minimum)
            .OrderByDescending(c => c.Score).ThenBy(c => c.Row).ThenBy(c => c.Col).ToArray();
        var byRow = Enumerable.Repeat(-1, rows).ToArray();
        var colTaken = new bool[cols];
        foreach (var c in ordered)
        {
            if ((uint)c.Row >= (uint)rows || (uint)c.Col >= (uint)cols)
                throw new ArgumentException($"candidate ({c.Row}, {c.Col}) is outside {rows} × {cols}");
            if (byRow[c.Row] >= 0 || colTaken[c.Col]) continue;
            byRow[c.Row] = c.Col;
            colTaken[c.Col] = true;
        }
        return byRow;
    }
}
