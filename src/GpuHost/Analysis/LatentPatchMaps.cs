using Actors.Analysis.Relevance;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Hosts;
using Actors.Sae;

namespace Actors.GpuHost.Analysis;

/// <summary>
/// A latent's patch heatmap on one image: its activations h_{i,j}[s] on the patch tokens, row-major on the patch grid
/// (seed 002 Sec. 3.2; the map ingestion keeps for reference images). Hooks without patch tokens have none.
/// </summary>
public static class LatentPatchMaps
{
    /// <summary>The grid's width, or 0 and the reason there is none.</summary>
    public static (int Width, string? Note) Grid(SaeHookSpec hook, int rowsPerImage)
    {
        if (hook.Site == HookSite.ImageEmbedding) return (0, "the SAE reads the image embedding: it has no patch tokens, so no heatmap");
        if (hook.Tokens == TokenSelection.Cls) return (0, "the SAE reads the class token only: it has no patch tokens, so no heatmap");
        return (Layout(hook, rowsPerImage).GridWidth, null);
    }

    /// <summary>The heatmaps of <paramref name="latents"/> on the decomposed image (empty for a hook without patches).</summary>
    public static LatentPatchMap[] Of(LatentDecomposition decomposition, SaeHookSpec hook, IEnumerable<int> latents)
    {
        if (Grid(hook, decomposition.RowCount).Width == 0) return [];
        var layout = Layout(hook, decomposition.RowCount);
        var maps = latents.Distinct().ToDictionary(j => j, _ => new float[layout.PatchTokens]);
        var a = decomposition.Activations;
        for (int row = 0; row < decomposition.RowCount; row++)
        {
            int cell = layout.CellOf(row);
            if (cell < 0) continue;   // the class token
            for (int e = a.RowStart[row]; e < a.RowStart[row + 1]; e++)
                if (a.Values[e] > 0 && maps.TryGetValue(a.Indices[e], out var map)) map[cell] = a.Values[e];
        }
        return [.. maps.Select(m => new LatentPatchMap(m.Key, m.Value))];
    }

    static TokenLayout Layout(SaeHookSpec hook, int rowsPerImage) => new(rowsPerImage, hook.Tokens != TokenSelection.Patches);
}
