using Actors.Sae.Matching;

namespace Actors.Sae.Tests.Matching;

/// <summary>The Hungarian assignment against brute force over every injective assignment of tiny matrices.</summary>
public sealed class LinearAssignmentTests
{
    static double[] RandomScores(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, rows * cols).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
    }

    /// <summary>Best total over all ways to give min(rows, cols) rows distinct columns (rows ≤ cols: every row assigned).</summary>
    static double BruteForce(double[] score, int rows, int cols)
    {
        if (rows > cols)
        {
            var t = new double[score.Length];
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = score[i * cols + j];
            return BruteForce(t, cols, rows);
        }
        double best = double.NegativeInfinity;
        var taken = new bool[cols];
        void Walk(int row, double total)
        {
            if (row == rows) { best = Math.Max(best, total); return; }
            for (int j = 0; j < cols; j++)
            {
                if (taken[j]) continue;
                taken[j] = true;
                Walk(row + 1, total + score[row * cols + j]);
                taken[j] = false;
            }
        }
        Walk(0, 0);
        return best;
    }

    static double Total(double[] score, int cols, int[] assigned) =>
        assigned.Select((j, i) => j < 0 ? 0 : score[i * cols + j]).Sum();

    [Theory]
    [InlineData(1, 1)] [InlineData(3, 3)] [InlineData(6, 6)] [InlineData(7, 7)]
    [InlineData(4, 7)] [InlineData(7, 4)] [InlineData(5, 8)] [InlineData(8, 3)]
    public void TheAssignmentTotalEqualsTheBestOfEveryInjectiveAssignment(int rows, int cols)
    {
        for (int seed = 0; seed < 10; seed++)
        {
            var score = RandomScores(rows, cols, 100 * rows + 10 * cols + seed);
            var assigned = LinearAssignment.Maximise(score, rows, cols);
            Assert.Equal(Math.Min(rows, cols), assigned.Count(j => j >= 0));
            Assert.Equal(assigned.Where(j => j >= 0).Count(), assigned.Where(j => j >= 0).Distinct().Count());
            Assert.Equal(BruteForce(score, rows, cols), Total(score, cols, assigned), 12);
        }
    }

    [Fact]
    public void AMatrixOfTiesIsStillAssignedOneToOne()
    {
        var assigned = LinearAssignment.Maximise(new double[5 * 5], 5, 5);
        Assert.Equal([0, 1, 2, 3, 4], assigned.Order());
    }

    [Fact]
    public void GreedyKeepsTheBestPairFirstAndNeverReusesAColumn()
    {
        // Greedy takes (0,0)=0.9, then row 1 can only take column 1 (0.1): total 1.0, where the optimum is 0.8 + 0.8.
        var pairs = new[] { new CandidatePair(0, 0, 0.9), new CandidatePair(0, 1, 0.8), new CandidatePair(1, 0, 0.8), new CandidatePair(1, 1, 0.1) };
        Assert.Equal([0, 1], GreedyAssignment.Maximise(pairs, 2, 2));
        Assert.Equal([0, -1], GreedyAssignment.Maximise(pairs, 2, 2, minimum: 0.5));
        Assert.Equal([1, 0], LinearAssignment.Maximise([0.9, 0.8, 0.8, 0.1], 2, 2));
    }
}
