using Orleans;

namespace Actors.Grains.Sketches;

/// <summary>
/// A reference image's patch heatmap h_{i,j}[s] (seed 002 Sec. 3.2, used as a soft segmentation mask), kept as the
/// peak activation and one byte per patch relative to it. A latent keeps a heatmap for each of its top reference
/// images and every merge stores the latent, so float heatmaps were two thirds of each write; 8 bits per cell is
/// what the drawn overlay can show anyway. Values are non-negative (heatmaps hold positive activations).
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.PatchHeatmap")]
public sealed class PatchHeatmap
{
    /// <summary>Cells per row of the patch grid (0: no heatmap, e.g. a class-token SAE).</summary>
    [Id(0)] public int Width { get; }
    /// <summary>The largest cell value; level 255 stands for it.</summary>
    [Id(1)] public float Peak { get; }
    /// <summary>Row-major cells, each round(255 · value / Peak).</summary>
    [Id(2)] public byte[] Levels { get; }

    public static readonly PatchHeatmap None = new(0, 0, []);

    public PatchHeatmap(int width, float peak, byte[] levels) => (Width, Peak, Levels) = (width, peak, levels);

    /// <summary>Quantizes a row-major grid of <paramref name="width"/> columns; negative cells count as 0.</summary>
    public static PatchHeatmap Quantize(int width, ReadOnlySpan<float> cells)
    {
        if (width < 0 || (width == 0 ? cells.Length != 0 : cells.Length % width != 0))
            throw new ArgumentException($"a heatmap of {cells.Length} cells cannot have rows of {width}");
        float peak = 0;
        foreach (var v in cells) if (v > peak) peak = v;
        var levels = new byte[cells.Length];
        if (peak > 0)
            for (int i = 0; i < cells.Length; i++)
                levels[i] = cells[i] > 0 ? (byte)MathF.Round(255f * MathF.Min(cells[i] / peak, 1f)) : (byte)0;
        return new PatchHeatmap(width, peak, levels);
    }

    /// <summary>The cells as activations (within Peak/510 of the quantized values).</summary>
    public float[] Values()
    {
        var values = new float[Levels.Length];
        for (int i = 0; i < values.Length; i++) values[i] = Levels[i] * Peak / 255f;
        return values;
    }
}
