using Actors.Api.Hosting;
using Actors.Grains.Investigations;
using Actors.Grains.Latents;
using Orleans;

namespace Actors.Api.Pages;

/// <summary>
/// The latent page, image-native: the top reference images with the latent's patch heatmap drawn on each, the
/// activation histogram, frequency and mean, semantic labels with their alignment s_j(t), the corpus labels, the class
/// table, Logit Lens and any analysis stored on the latent, then the notes and votes of the caller's investigations.
/// </summary>
internal static class LatentDetailPage
{
    public static async Task<IResult> RenderAsync(string saeId, int latent, HttpContext http, IGrainFactory grains, SaeDirectory saes)
    {
        var page = PageRequest.Of(http);
        if (await saes.FindAsync(saeId) is not { } sae) return PageLayout.Problem(page, 404, "Unknown SAE", $"no SAE '{saeId}' is registered");
        if (latent < 0 || latent >= sae.DSae)
            return PageLayout.Problem(page, 404, "Unknown latent", $"SAE '{saeId}' has latents 0..{sae.DSae - 1}; {latent} is not one of them");
        var viewing = grains.GetGrain<ILatentGrain>(LatentKey.Of(saeId, latent)).GetAsync();
        var investigations = MyInvestigationsAsync(grains, page.UserId);
        var view = await viewing;
        string body = $"""
            <h1>Latent {latent} <small>of SAE {Html.E(saeId)} (model {Html.E(sae.ModelId)}, layer {sae.Hook.Layer}, {Html.E(sae.Hook.Tokens)} tokens)</small></h1>
            {Statistics(view)}
            <section aria-labelledby="references"><h2 id="references">Top reference images</h2>
            <p class="muted">Highest image-level activation first; the latent's patch heatmap is drawn on each image.</p>
            {References(view)}</section>
            <section aria-labelledby="histogram"><h2 id="histogram">Activation histogram</h2>{HistogramSvg.Render(view)}</section>
            <section aria-labelledby="labels"><h2 id="labels">Labels</h2>{LatentLabelsHtml.Render(view)}</section>
            <section aria-labelledby="classes"><h2 id="classes">Classes</h2>{Classes(view)}</section>
            {LatentAnalysesHtml.Render(view)}
            <section aria-labelledby="investigations"><h2 id="investigations">Investigations</h2>{Investigations(page, view, await investigations)}</section>
            """;
        return PageLayout.Page(page, $"Latent {latent} of {saeId}",
            [new("Overview", "/"), new($"SAE {saeId}", $"/saes/{Uri.EscapeDataString(saeId)}/latents"), new($"Latent {latent}")], body);
    }

    static string Statistics(LatentView v) => $"""
        <section aria-labelledby="statistics"><h2 id="statistics">Statistics</h2><dl class="stats">
        <div><dt>Image frequency</dt><dd>{Html.Percent(v.ImageFrequency)}</dd></div>
        <div><dt>Token frequency</dt><dd>{Html.Percent(v.TokenFrequency)}</dd></div>
        <div><dt>Mean activation</dt><dd>{Html.Num(v.MeanActivation)}</dd></div>
        <div><dt>Standard deviation</dt><dd>{Html.Num(Math.Sqrt(Math.Max(v.ActivationVariance, 0)))}</dd></div>
        <div><dt>Max activation</dt><dd>{Html.Num(v.MaxActivation)}</dd></div>
        <div><dt>Firing images</dt><dd>{Html.Int(v.FiringImages)}</dd></div>
        <div><dt>Firing tokens</dt><dd>{Html.Int(v.FiringTokens)}</dd></div>
        <div><dt>Label entropy</dt><dd>{Html.Num(v.LabelEntropy, "0.###")}</dd></div>
        <div><dt>Reference label entropy</dt><dd>{Html.Num(v.ReferenceLabelEntropy, "0.###")}</dd></div>
        <div><dt>Batches merged</dt><dd>{Html.Int(v.BatchesApplied)}</dd></div>
        </dl></section>
        """;

    static string References(LatentView v)
    {
        if (v.References.Length == 0) return "<p class=\"empty\">No reference images yet: the latent has not fired on an ingested image.</p>";
        string api = $"/api/saes/{Html.Seg(v.SaeId)}/latents/{v.Latent}/references";
        return "<ol class=\"references\">" + string.Concat(v.References.Select((r, rank) => $"""
            <li><figure><img src="{api}/{rank}/image.png?overlay=true" alt="latent {v.Latent}, reference {rank}" width="192" height="192" decoding="async">
            <figcaption>rank {rank} · activation {Html.Num(r.Activation)}{(r.Label is null ? "" : $" · {Html.E(r.Label)}")}<br>{Html.E(r.Image.CorpusId)}/{Html.E(r.Image.ImageId)}</figcaption></figure></li>
            """)) + "</ol>";
    }

    static string Classes(LatentView v) => Html.Table("The latent over each class's images (images where it did not fire count as 0); relevance R_j where ingestion computed it",
        ["Class", "Images", "Firing images", "Mean activation", "Std", "Relevance images", "Mean relevance", "Relevance std"],
        v.Classes.Select(c => new[]
        {
            Html.E(c.Label), Html.Int(c.Images), Html.Int(c.FiringImages), Html.Num(c.MeanActivation), Html.Num(c.ActivationStdDev),
            Html.Int(c.RelevanceImages), c.RelevanceImages > 0 ? Html.Num(c.MeanRelevance) : "–", c.RelevanceImages > 0 ? Html.Num(c.RelevanceStdDev) : "–",
        }), "The corpus has no class labels.");

    static string Investigations(PageRequest page, LatentView v, InvestigationView[] mine)
    {
        string reference = InvestigationItem.LatentRef(v.SaeId, v.Latent);
        var labels = (v.SemanticLabels?.Labels.Select(l => l.Text) ?? []).Concat(v.Labels.Keys).Distinct(StringComparer.Ordinal).ToArray();
        var listing = mine.Select(i => (Investigation: i, Item: i.Items.FirstOrDefault(x => x.Kind == "latent" && x.Ref == reference))).ToArray();
        string listed = string.Concat(listing.Where(x => x.Item is not null).Select(x => $"""
            <article class="investigation"><h3><a href="/investigations/{Html.Seg(x.Investigation.InvestigationId)}">{Html.E(x.Investigation.Title)}</a>
            <small class="muted">(you are {Html.Name(x.Investigation.RoleOf(page.UserId) ?? InvestigationRole.Viewer)})</small></h3>
            {InvestigationItemHtml.Render(page, x.Investigation, x.Item!, labels)}</article>
            """));
        var addable = listing.Where(x => x.Item is null && x.Investigation.RoleOf(page.UserId) >= InvestigationRole.Editor).ToArray();
        string add = addable.Length == 0 ? "" : "<h3>Add this latent to an investigation</h3>" + string.Concat(addable.Select(x => $"""
            <form class="inline" data-api="/api/investigations/{Html.Seg(x.Investigation.InvestigationId)}/latents" data-method="POST"
                  data-etag="{Html.E($"\"v{x.Investigation.Version}\"")}" data-numbers="latent">
              {page.TokenField}<input type="hidden" name="saeId" value="{Html.E(v.SaeId)}"><input type="hidden" name="latent" value="{v.Latent}">
              <button type="submit">Add to “{Html.E(x.Investigation.Title)}”</button><p class="form-error" role="alert" hidden></p>
            </form>
            """));
        if (mine.Length == 0) return "<p class=\"empty\">You are not a member of any investigation. <a href=\"/investigations\">Start one</a>.</p>";
        return (listed.Length == 0 ? "<p class=\"empty\">None of your investigations lists this latent.</p>" : listed) + add;
    }

    static async Task<InvestigationView[]> MyInvestigationsAsync(IGrainFactory grains, string? userId)
    {
        if (userId is null) return [];
        var summaries = await grains.GetGrain<IInvestigationIndexGrain>(IInvestigationIndexGrain.Key).ListForAsync(userId);
        var views = await Task.WhenAll(summaries.Select(s => grains.GetGrain<IInvestigationGrain>(s.InvestigationId).GetAsync()));
        return [.. views.OfType<InvestigationView>().Where(v => v.RoleOf(userId) is not null).OrderBy(v => v.Title, StringComparer.OrdinalIgnoreCase)];
    }
}
