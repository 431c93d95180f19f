namespace Actors.Tensors.Kernels;

/// <summary>
/// Splits rows into contiguous blocks over the thread pool when the work is large enough to pay for it;
/// small inputs run inline so per-call overhead stays negligible in the hot path.
/// </summary>
internal static class RowParallel
{
    /// <summary>Roughly the number of float operations below which a thread hop costs more than it saves.</summary>
    public const long MinWorkPerBlock = 1 << 15;

    /// <summary>Number of blocks <see cref="For"/> will use for this much work.</summary>
    public static int Blocks(int rows, long workPerRow)
    {
        long total = rows * Math.Max(1, workPerRow);
        long blocks = Math.Min(Environment.ProcessorCount, Math.Max(1, total / MinWorkPerBlock));
        return (int)Math.Max(1, Math.Min(blocks, rows));
    }

    /// <summary>Calls body(block, firstRow, endRow) for each block; blocks are contiguous and in order.</summary>
    public static void For(int rows, long workPerRow, Action<int, int, int> body)
    {
        int blocks = Blocks(rows, workPerRow);
        if (blocks <= 1) { body(0, 0, rows); return; }
        Parallel.For(0, blocks, blk => body(blk, (int)((long)rows * blk / blocks), (int)((long)rows * (blk + 1) / blocks)));
    }
}
