namespace Actors.Sae.Matching;

/// <summary>
/// Optimal one-to-one assignment maximising the total score of a dense (rows, cols) matrix: the Hungarian method
/// (Kuhn 1955; Munkres 1957) in its shortest-augmenting-path form with row and column potentials (Jonker &amp;
/// Volgenant 1987, without their initialisation heuristics), O(rows² · cols) time, O(rows · cols) memory. Every row
/// is assigned when rows ≤ cols, every column otherwise (the matrix is transposed); leftovers stay unassigned.
/// </summary>
public static class LinearAssignment
{
    /// <summary>For each row, the column assigned to it or −1. <paramref name="score"/> is row-major (rows, cols).</summary>
    public static int[] Maximise(ReadOnlySpan<double> score, int rows, int cols)
    {
        if (rows < 0 || cols < 0 || score.Length != (long)rows * cols)
            throw new ArgumentException($"assignment: {score.Length} scores do not fill {rows} × {cols}");
        if (rows == 0 || cols == 0) return Enumerable.Repeat(-1, rows).ToArray();
        if (rows <= cols) return Solve(score, rows, cols, transposed: false);
        // More rows than columns: assign every column to a row instead, then invert.
        var byColumn = Solve(score, cols, rows, transposed: true);
        var result = Enumerable.Repeat(-1, rows).ToArray();
        for (int c = 0; c < cols; c++) result[byColumn[c]] = c;
        return result;
    }

    /// <summary>Minimises Σ cost with cost = −score over an n ≤ m problem; 1-based potentials as in the classic
    /// formulation (column 0 is the virtual start of each augmenting path).</summary>
    static int[] Solve(ReadOnlySpan<double> score, int n, int m, bool transposed)
    {
        // cost (n, m) = −score in the problem's orientation, contiguous per row for the inner scan.
        var cost = new double[(long)n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) cost[i * m + j] = -(transposed ? score[j * n + i] : score[i * m + j]);
        var u = new double[n + 1]; var v = new double[m + 1];
        var p = new int[m + 1];     // p[j]: the row assigned to column j (0 = none)
        var way = new int[m + 1];   // the previous column on the shortest path to j
        var minv = new double[m + 1]; var used = new bool[m + 1];
        for (int i = 1; i <= n; i++)
        {
            p[0] = i;
            int j0 = 0;
            Array.Fill(minv, double.PositiveInfinity);
            Array.Clear(used);
            do
            {
                used[j0] = true;
                int i0 = p[j0], j1 = 0;
                double delta = double.PositiveInfinity, ui = u[i0];
                var row = cost.AsSpan((i0 - 1) * m, m);
                for (int j = 1; j <= m; j++)
                {
                    if (used[j]) continue;
                    double cur = row[j - 1] - ui - v[j];
                    if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
                    if (minv[j] < delta) { delta = minv[j]; j1 = j; }
                }
                for (int j = 0; j <= m; j++)
                    if (used[j]) { u[p[j]] += delta; v[j] -= delta; }
                    else minv[j] -= delta;
                j0 = j1;
            }
            while (p[j0] != 0);
            do { int j1 = way[j0]; p[j0] = p[j1]; j0 = j1; } while (j0 != 0);
        }
        var assigned = Enumerable.Repeat(-1, n).ToArray();
        for (int j = 1; j <= m; j++) if (p[j] != 0) assigned[p[j] - 1] = j - 1;
        return assigned;
    }
}
