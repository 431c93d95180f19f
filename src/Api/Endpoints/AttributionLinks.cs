using Actors.Api.Contracts;
using Actors.Grains.Hosts;
using Actors.Grains.Latents;
using Orleans;

namespace Actors.Api.Endpoints;

/// <summary>
/// Turns a host's attribution into the response's methods: each listed latent gets its routes (GetLatent,
/// GetReferenceImages, and GetReferenceImagePng of its top reference with the overlay), its assigned semantic label
/// and its heatmap on this image. Each distinct latent's grain is read once.
/// </summary>
internal static class AttributionLinks
{
    public static async Task<MethodResult[]> MethodsAsync(string saeId, ImageAttributionResult result, IGrainFactory grains)
    {
        var latents = result.Methods.SelectMany(m => m.Latents).Select(l => l.Latent).Distinct().ToArray();
        var views = await Task.WhenAll(latents.Select(j => grains.GetGrain<ILatentGrain>(LatentKey.Of(saeId, j)).GetAsync()));
        var byLatent = latents.Zip(views).ToDictionary(p => p.First, p => p.Second);
        var heatmaps = result.Heatmaps.ToDictionary(h => h.Latent, h => h.Cells);

        RelevantLatent Link(AttributedLatent l)
        {
            var view = byLatent[l.Latent];
            string latent = $"/api/saes/{Uri.EscapeDataString(saeId)}/latents/{l.Latent}";
            return new RelevantLatent(l.Latent, l.Activation, l.Relevance, view.SemanticLabels?.Assigned?.Text, latent, $"{latent}/references",
                view.References.Length > 0 ? $"{latent}/references/0/image.png?overlay=true" : null, heatmaps.GetValueOrDefault(l.Latent));
        }

        return [.. result.Methods.Select(m => new MethodResult(m.Method, m.Name, m.Score, m.Bias, m.Error, m.Baseline,
            m.LatentRelevanceSum, m.ActiveLatents, [.. m.Latents.Select(Link)]))];
    }
}
