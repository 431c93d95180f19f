using Actors.Grains.Investigations;
using Actors.Grains.Jobs;
using Actors.Grains.Registry;
using Orleans;

namespace Actors.Api.Pages;

/// <summary>The dashboard's front page: the registered SAEs (to their latent explorers), the corpora with their ingestion, recent jobs and the caller's investigations.</summary>
internal static class OverviewPage
{
    const int RecentJobs = 10;

    public static async Task<IResult> RenderAsync(HttpContext http, IGrainFactory grains)
    {
        var page = PageRequest.Of(http);
        var registry = grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey);
        var saes = Task.WhenAll((await registry.ListAsync(RegistryKind.Sae)).Select(id => grains.GetGrain<ISaeGrain>(id).GetAsync()));
        var corpora = Task.WhenAll((await registry.ListAsync(RegistryKind.Corpus)).Select(id => grains.GetGrain<ICorpusGrain>(id).GetAsync()));
        var jobs = grains.GetGrain<IJobIndexGrain>(IJobIndexGrain.Key).ListAsync();
        var investigations = page.UserId is null ? Task.FromResult<InvestigationSummary[]>([])
            : grains.GetGrain<IInvestigationIndexGrain>(IInvestigationIndexGrain.Key).ListForAsync(page.UserId);
        string body = $"""
            <h1>Overview</h1>
            <section aria-labelledby="saes"><h2 id="saes">SAEs</h2>{Saes(await saes)}</section>
            <section aria-labelledby="corpora"><h2 id="corpora">Corpora</h2>{Corpora(await corpora)}</section>
            <section aria-labelledby="jobs"><h2 id="jobs">Recent jobs</h2>{JobsPage.Table((await jobs).Take(RecentJobs))}<p><a href="/jobs">All jobs</a></p></section>
            <section aria-labelledby="investigations"><h2 id="investigations">Your investigations</h2>{InvestigationsPage.Table(await investigations)}
            <p><a href="/investigations">Investigations</a></p></section>
            """;
        return PageLayout.Page(page, "Overview", [new("Overview")], body);
    }

    static string Saes(SaeView[] saes) => Html.Table("Registered SAEs; each opens its latent explorer",
        ["SAE", "Model", "Hook", "Latents", "Architecture", "Corpora", "Images seen", "Tokens seen"],
        saes.Where(s => s.Record is not null).Select(s => new[]
        {
            $"<a href=\"/saes/{Html.Seg(s.SaeId)}/latents\">{Html.E(s.SaeId)}</a>", Html.E(s.Record!.ModelId),
            Html.E(s.Record.Hook.Name ?? $"layer {s.Record.Hook.Layer}") + $", {Html.E(s.Record.Hook.Tokens)} tokens", Html.Int(s.Record.DSae),
            Html.E(s.Record.Architecture), string.Join(", ", s.Corpora.Select(c => $"<a href=\"/corpora/{Html.Seg(c)}\">{Html.E(c)}</a>")),
            Html.Int(s.Totals.Images), Html.Int(s.Totals.Tokens),
        }), "No SAE is registered yet (POST /api/saes).");

    static string Corpora(CorpusView[] corpora) => Html.Table("Registered corpora and their ingestion",
        ["Corpus", "Status", "SAE", "Images ingested", "Unreadable files", "Images per second"],
        corpora.Where(c => c.Source is not null).Select(c => new[]
        {
            $"<a href=\"/corpora/{Html.Seg(c.CorpusId)}\">{Html.E(c.CorpusId)}</a>",
            $"<span class=\"status-{Html.Name(c.Status)}\">{Html.Name(c.Status)}</span>{CorpusPage.JobLink(c.JobId)}",
            Html.E(c.SaeId ?? "–"), $"{Html.Int(c.ImagesDone)} of {Html.Int(c.ImagesTotal)}", Html.Int(c.FailedFiles.Length), Html.Num(c.ImagesPerSecond, "0.0"),
        }), "No corpus is registered yet (POST /api/corpora).");
}
