using Actors.Grains.Registry;
using Orleans;

namespace Actors.GpuHost.Jobs.Retraining;

/// <summary>
/// One corpus the parent had seen, registered again as <paramref name="CorpusId"/> and handed to ingestion through the
/// new SAE; <paramref name="JobId"/> is its ingestion job (the progress resource /api/jobs/{JobId}).
/// </summary>
public sealed record ReingestedCorpus(string CorpusId, string From, bool Started, string? Refusal, string? JobId = null);

/// <summary>
/// Re-ingests the corpora the parent SAE was ingested on through the new version, as ordinary ingestion jobs (kind
/// "ingestion", submitted by the corpus grain's start like any other): each is registered under "{corpus}@{new SAE}"
/// (an id the registration route cannot take, so no user corpus collides) with the same source and vocabulary, and
/// started. Repeating it (a resumed job) finds them started.
/// </summary>
public static class Reingestion
{
    public static string CorpusIdFor(string corpusId, string newSaeId) => $"{corpusId}@{newSaeId}";

    public static async Task<ReingestedCorpus[]> StartAsync(IGrainFactory grains, IEnumerable<string> parentCorpora, string newSaeId)
    {
        var started = new List<ReingestedCorpus>();
        foreach (var from in parentCorpora)
        {
            var old = await grains.GetGrain<ICorpusGrain>(from).GetAsync();
            if (old.Source is null) { started.Add(new(CorpusIdFor(from, newSaeId), from, false, $"corpus '{from}' is no longer registered")); continue; }
            string id = CorpusIdFor(from, newSaeId);
            var corpus = grains.GetGrain<ICorpusGrain>(id);
            if ((await corpus.GetAsync()).Source is null) await corpus.RegisterAsync(old.Source);
            await grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).AddAsync(RegistryKind.Corpus, id);
            var view = await corpus.GetAsync();
            if (view.SaeId == newSaeId && view.Status is CorpusStatus.Ingesting or CorpusStatus.Completed)
            {
                started.Add(new(id, from, true, null, view.JobId));   // started by an earlier attempt of this job
                continue;
            }
            var start = await corpus.StartIngestionAsync(newSaeId, old.VocabularyId);
            started.Add(new(id, from, start.Started, start.Refusal, start.View.JobId));
        }
        return [.. started];
    }
}
