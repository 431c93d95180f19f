using Actors.Grains.Latents;
using Actors.Grains.Sketches;

namespace Actors.Api.Endpoints;

/// <summary>
/// The filters and sort keys of the latent list, over the index's summaries:
/// <list type="bullet">
/// <item><c>label</c>: the latent's assigned semantic label, argmax_t s_j(t) (seed 000 Eq. 2); <c>topLabel</c>: the corpus
/// class it fired most on.</item>
/// <item>High activation, low alignment (seed 000 Sec. 4.2a with activation as the relevance proxy, App. C.2):
/// <c>minReferenceActivation</c> (mean activation over its reference images ≥ τ) and <c>maxAlignment</c> (s_j of its
/// assigned label ≤ τ_align; unlabelled latents never pass).</item>
/// <item>High relevance, low alignment, hidden concepts (Eq. 7): <c>class</c> and <c>minRelevance</c> (its mean relevance
/// R_j over the class's images, the μ_j of Eq. 8, ≥ τ_rel) with <c>maxAlignment</c>.</item>
/// </list>
/// Sorting by alignment, clarity or relevance puts latents without the value last in either direction.
/// </summary>
public sealed record LatentFilter(string? Label, string? TopLabel, double? MinFrequency, double? MaxEntropy,
    double? MinReferenceActivation, double? MaxAlignment, string? Class, double? MinRelevance)
{
    public static readonly string[] SortKeys = ["latent", "frequency", "mean", "max", "entropy", "alignment", "clarity", "referenceActivation", "relevance"];

    /// <summary>The request's problem as (field, message), or null.</summary>
    public (string Field, string Message)? Check(string sort, IngestTotals totals)
    {
        if (!SortKeys.Contains(sort)) return ("sort", $"sort '{sort}' is not one of {string.Join(", ", SortKeys)}");
        if (Class is null && (MinRelevance is not null || sort == "relevance"))
            return ("class", "minRelevance and sort=relevance need the class whose relevance moments to read");
        if (Class is not null && !totals.ClassImages.ContainsKey(Class))
            return ("class", $"no image of class '{Class}' was ingested through this SAE; classes: {string.Join(", ", totals.ClassImages.Keys.Order())}");
        return null;
    }

    public IEnumerable<LatentListItem> Apply(IEnumerable<LatentSummary> summaries, IngestTotals totals)
    {
        long tokens = totals.Tokens, images = totals.Images, classImages = Class is null ? 0 : totals.RelevanceImagesOf(Class);   // the class images whose relevance was computed
        var items = summaries.Select(s => new LatentListItem(s.Latent,
            tokens > 0 ? (double)s.FiringTokens / tokens : 0, images > 0 ? (double)s.FiringImages / images : 0,
            s.MeanActivation, s.MaxActivation, s.LabelEntropy, s.TopLabel, s.SemanticLabel,
            s.Alignment, s.Clarity, s.ReferenceActivation, Class is null ? null : s.MeanRelevance(Class, classImages)));
        if (Label is not null) items = items.Where(i => string.Equals(i.SemanticLabel, Label, StringComparison.OrdinalIgnoreCase));
        if (TopLabel is not null) items = items.Where(i => string.Equals(i.TopLabel, TopLabel, StringComparison.OrdinalIgnoreCase));
        if (MinFrequency is { } f) items = items.Where(i => i.TokenFrequency >= f);
        if (MaxEntropy is { } e) items = items.Where(i => i.LabelEntropy <= e);
        if (MinReferenceActivation is { } a) items = items.Where(i => i.ReferenceActivation >= a);
        if (MaxAlignment is { } s) items = items.Where(i => i.Alignment <= s);
        if (MinRelevance is { } r) items = items.Where(i => i.ClassRelevance >= r);
        return items;
    }

    public static List<LatentListItem> Sort(IEnumerable<LatentListItem> items, string sort, bool descending)
    {
        Func<LatentListItem, double?> key = sort switch
        {
            "latent" => i => i.Latent,
            "mean" => i => i.MeanActivation,
            "max" => i => i.MaxActivation,
            "entropy" => i => i.LabelEntropy,
            "alignment" => i => i.Alignment,
            "clarity" => i => i.Clarity,
            "referenceActivation" => i => i.ReferenceActivation,
            "relevance" => i => i.ClassRelevance,
            _ => i => i.TokenFrequency,
        };
        var known = items.OrderBy(i => key(i) is null);
        return [.. (descending ? known.ThenByDescending(key) : known.ThenBy(key)).ThenBy(i => i.Latent)];
    }
}
