using Actors.Api.Endpoints;
using Actors.Api.Hosting;
using Actors.Grains.Hosts;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans;

namespace Actors.Api.Pages;

/// <summary>
/// The latent explorer of one SAE: the listing of GET /api/saes/{saeId}/latents with the same sort keys, filters and
/// paging (its query string is the API's), and a text search that ranks latents by the alignment of their reference
/// images to the text (GET /api/saes/{saeId}/search, seed 000 Eq. 2 as a query).
/// </summary>
internal static class LatentExplorerPage
{
    // The API's sort keys, but relevance: it needs a class, which this form does not ask for.
    static readonly string[] SortKeys = [.. LatentFilter.SortKeys.Where(k => k != "relevance")];

    public static async Task<IResult> RenderAsync(string saeId, HttpContext http, IGrainFactory grains, ApiOptions options, SaeDirectory saes,
        string sort = "frequency", bool descending = true, string? label = null, double? minFrequency = null, double? maxEntropy = null,
        int page = 0, int pageSize = 50, string? q = null, int top = 20)
    {
        var request = PageRequest.Of(http);
        if (await saes.FindAsync(saeId) is null) return PageLayout.Problem(request, 404, "Unknown SAE", $"no SAE '{saeId}' is registered");
        label = string.IsNullOrWhiteSpace(label) ? null : label;
        var searching = string.IsNullOrWhiteSpace(q) ? null : LatentSearchApi.SearchLatents(saeId, grains, saes, q, top);
        var listing = await LatentsApi.ListLatents(saeId, grains, options, sort, descending, label, minFrequency, maxEntropy, page, pageSize);
        string results = listing.Result switch
        {
            Ok<LatentPage> ok => Listing(saeId, ok.Value!, http.Request.Query),
            ValidationProblem invalid => Errors(invalid.ProblemDetails.Errors),
            _ => "<p role=\"alert\">The listing could not be read.</p>",
        };
        string search = searching is null ? "" : (await searching).Result switch
        {
            Ok<LatentSearchResult> ok => SearchResults(ok.Value!),
            ValidationProblem invalid => Errors(invalid.ProblemDetails.Errors),
            ProblemHttpResult problem => $"<p role=\"alert\">{Html.E(problem.ProblemDetails.Detail)}</p>",
            _ => "",
        };
        string body = $"""
            <h1>Latents <small>of SAE {Html.E(saeId)}</small></h1>
            <section aria-labelledby="search"><h2 id="search">Search by text</h2>
            <p class="muted">Ranks latents by s_j(t) = cos(x̄_j, t) − cos(x̄_j, t_empty): the mean CLIP embedding of each latent's reference images
            against your text embedded by the SAE's model's text tower. The first search embeds every reference image and takes longer.</p>
            <form class="search" method="get" action="/saes/{Html.Seg(saeId)}/latents" role="search">
              <label for="q">Text</label><input id="q" type="search" name="q" value="{Html.E(q)}" maxlength="{LatentSearchApi.MaxQueryLength}" placeholder="e.g. water" required>
              <label for="top">Results</label><input id="top" type="number" name="top" min="1" max="{LatentSearchApi.MaxTop}" value="{top}">
              <button type="submit">Search</button>
            </form>
            {search}</section>
            <section aria-labelledby="listing"><h2 id="listing">All latents that fired</h2>
            {Filters(saeId, sort, descending, label, minFrequency, maxEntropy, pageSize)}
            {results}</section>
            """;
        return PageLayout.Page(request, $"Latents of {saeId}", [new("Overview", "/"), new($"SAE {saeId}")], body);
    }

    static string Filters(string saeId, string sort, bool descending, string? label, double? minFrequency, double? maxEntropy, int pageSize) => $"""
        <form class="filters" method="get" action="/saes/{Html.Seg(saeId)}/latents">
          <div class="field"><label for="sort">Sort by</label><select id="sort" name="sort">{string.Concat(SortKeys.Select(k => $"<option{(k == sort ? " selected" : "")}>{k}</option>"))}</select></div>
          <div class="field"><label for="descending">Order</label><select id="descending" name="descending"><option value="true"{(descending ? " selected" : "")}>descending</option><option value="false"{(descending ? "" : " selected")}>ascending</option></select></div>
          <label>Semantic label <input name="label" value="{Html.E(label)}"></label>
          <label>Min token frequency <input name="minFrequency" type="number" step="any" min="0" max="1" value="{Value(minFrequency)}"></label>
          <label>Max label entropy <input name="maxEntropy" type="number" step="any" min="0" value="{Value(maxEntropy)}"></label>
          <label>Per page <input name="pageSize" type="number" min="1" value="{pageSize}"></label>
          <button type="submit">Apply</button>
        </form>
        """;

    static string Value(double? value) => value is { } v ? v.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "";

    static string Listing(string saeId, LatentPage page, IQueryCollection query)
    {
        string link = $"/saes/{Html.Seg(saeId)}/latents";
        string table = Html.Table($"{Html.Int(page.Total)} latents; page {page.Page + 1} of {Math.Max(1, (page.Total + page.PageSize - 1) / page.PageSize)}; " +
                                  $"frequencies over {Html.Int(page.ImagesSeen)} images and {Html.Int(page.TokensSeen)} tokens",
            ["Latent", "Image frequency", "Token frequency", "Mean", "Max", "Label entropy", "Top label", "Semantic label"],
            page.Items.Select(i => new[]
            {
                $"<a href=\"{link}/{i.Latent}\">{i.Latent}</a>", Html.Percent(i.ImageFrequency), Html.Percent(i.TokenFrequency), Html.Num(i.MeanActivation),
                Html.Num(i.MaxActivation), Html.Num(i.LabelEntropy, "0.###"), Html.E(i.TopLabel ?? "–"), Html.E(i.SemanticLabel ?? "–"),
            }), "No latent matches (or nothing was ingested through this SAE yet).");
        string PageLink(int p, string text) => $"<a href=\"{link}?{Html.E(QueryWith(query, "page", p.ToString()))}\">{text}</a>";
        string previous = page.Page > 0 ? PageLink(page.Page - 1, "← Previous") : "";
        string next = (page.Page + 1) * page.PageSize < page.Total ? PageLink(page.Page + 1, "Next →") : "";
        return table + $"<nav class=\"pager\" aria-label=\"Pages\">{previous}{next}</nav>";
    }

    static string SearchResults(LatentSearchResult result)
    {
        string link = $"/saes/{Html.Seg(result.SaeId)}/latents";
        string summary = $"{result.Hits.Length} best of {Html.Int(result.LatentsSearched)} latents with reference images for “{result.Text}” " +
                         $"({Html.Int(result.ImagesEmbedded)} reference images embedded by model {result.ModelId}" +
                         (result.ImagesUnreadable > 0 ? $"; {Html.Int(result.ImagesUnreadable)} could not be read and are left out)" : ")");
        return Html.Table(summary, ["Rank", "Latent", "Top reference", "Alignment s_j(t)", "Cosine", "References averaged"],
            result.Hits.Select((h, rank) => new[]
            {
                (rank + 1).ToString(), $"<a href=\"{link}/{h.Latent}\" data-latent=\"{h.Latent}\">latent {h.Latent}</a>",
                $"<img class=\"thumb\" src=\"/api/saes/{Html.Seg(result.SaeId)}/latents/{h.Latent}/references/0/image.png\" alt=\"latent {h.Latent}, reference 0\" loading=\"lazy\" width=\"48\" height=\"48\">",
                Html.Num(h.Alignment, "0.####"), Html.Num(h.Cosine, "0.####"), h.References.ToString(),
            }), "No latent has reference images yet.");
    }

    static string Errors(IDictionary<string, string[]> errors) =>
        "<div role=\"alert\"><p>The request is not valid:</p><ul>" +
        string.Concat(errors.SelectMany(e => e.Value.Select(m => $"<li>{Html.E(e.Key)}: {Html.E(m)}</li>"))) + "</ul></div>";

    static string QueryWith(IQueryCollection query, string key, string value) =>
        string.Join("&", query.Where(kv => kv.Key != key).SelectMany(kv => kv.Value.Select(v => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"{Uri.EscapeDataString(key)}={Uri.EscapeDataString(value)}"));
}
