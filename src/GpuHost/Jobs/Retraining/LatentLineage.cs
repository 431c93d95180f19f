using System.Text.Json;
using Actors.Grains.Blobs;
using Actors.Grains.Investigations;
using Actors.Grains.Latents;
using Actors.Grains.Registry;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Sae.Matching;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Orleans;

namespace Actors.GpuHost.Jobs.Retraining;

/// <summary>One entry of a published mapping: new latent ← old latent, the match score and its parts.</summary>
public sealed record LineageEntry(int NewLatent, int OldLatent, double Score, double Cosine, double? CoActivation);

/// <summary>What GET /api/saes/{id}/lineage returns (stored as JSON in the blob store).</summary>
public sealed record LineageDocument(string SaeId, string ParentSaeId, int Version, string? JobId, string Method, double Threshold,
    int CoActivationImages, LineageEntry[] Entries, int[] UnmatchedNew, int[] UnmatchedOld);

/// <summary>
/// Stable latent identity from one SAE version to the next (<see cref="LatentMatcher"/>): co-activation is measured
/// on up to N images of the corpora the parent was ingested on, which both versions encode here (so it exists
/// without waiting for the new version's ingestion); the mapping is published in the blob store and recorded as the
/// new SAE's lineage; each matched new latent takes its partner's semantic labels (into a slot of their own beside
/// the new version's labels), and in every investigation that lists the partner, the partner's notes — each marked
/// with where it came from and the match score.
/// </summary>
public static class LatentLineage
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Both versions' firing over the same images (the parent's hook and the new one's, each on its own rows),
    /// read a batch at a time; only each image's set of firing latents is kept until the end.</summary>
    public static (LatentFiring Newer, LatentFiring Older)? Firing(ClipVisionModel vision, ClipPreprocessor preprocessor,
        IReadOnlyList<Ingestion.CorpusItem> images, SparseAutoencoder newer, SaeHookSpec newerHook, SparseAutoencoder older, SaeHookSpec olderHook)
    {
        var perImage = new List<(int[] Newer, int[] Older)>();
        foreach (var batch in new ImageBatches(images, preprocessor).Read())
        {
            int[][] Fired(SparseAutoencoder sae, SaeHookSpec hook)
            {
                int per = hook.RowsPerSequence(vision.Config.Tokens);
                var acts = sae.Encode(hook.Read(vision, batch.Pixels, batch.Count), batch.Count * per);
                return [.. Enumerable.Range(0, batch.Count).Select(i => Enumerable.Range(i * per, per)
                    .SelectMany(r => Positive(acts, r)).Distinct().ToArray())];
            }
            var (a, b) = (Fired(newer, newerHook), Fired(older, olderHook));
            for (int i = 0; i < batch.Count; i++) perImage.Add((a[i], b[i]));
        }
        if (perImage.Count == 0) return null;
        var (fa, fb) = (new LatentFiring(newer.DSae, perImage.Count), new LatentFiring(older.DSae, perImage.Count));
        for (int image = 0; image < perImage.Count; image++)
        {
            foreach (var j in perImage[image].Newer) fa.Mark(j, image);
            foreach (var j in perImage[image].Older) fb.Mark(j, image);
        }
        return (fa, fb);
    }

    static IEnumerable<int> Positive(SparseActivations acts, int row)
    {
        var idx = acts.RowIndices(row).ToArray(); var val = acts.RowValues(row).ToArray();
        for (int i = 0; i < idx.Length; i++) if (val[i] > 0) yield return idx[i];
    }

    public static LineageDocument Document(string saeId, string parentId, int version, string jobId, LatentMatching m) =>
        new(saeId, parentId, version, jobId, m.Method, m.Threshold, m.CoActivationImages,
            [.. m.Matches.Select(x => new LineageEntry(x.NewLatent, x.OldLatent, x.Score, x.Cosine, x.CoActivation))], m.UnmatchedNew, m.UnmatchedOld);

    /// <summary>Stores the mapping and records the lineage on the new SAE.</summary>
    public static async Task<SaeLineage> PublishAsync(IGrainFactory grains, IBlobStore blobs, LineageDocument document, CancellationToken ct)
    {
        string hash = await blobs.PutAsync(JsonSerializer.SerializeToUtf8Bytes(document, Json), ct);
        var lineage = new SaeLineage(document.ParentSaeId, document.Version, document.JobId, hash, document.Method, document.Entries.Length);
        await grains.GetGrain<ISaeGrain>(document.SaeId).SetLineageAsync(lineage);
        return lineage;
    }

    /// <summary>The carry stage: labels, then notes; <paramref name="progress"/> gets (done, total, stage) for each.</summary>
    public static async Task<(int Labels, int Notes)> CarryAsync(IGrainFactory grains, LineageDocument document,
        Action<int, int, string> progress, CancellationToken ct)
    {
        int labels = await CarryLabelsAsync(grains, document, done => progress(done, document.Entries.Length, "carrying labels"), ct);
        int notes = await CarryNotesAsync(grains, document, (done, total) => progress(done, total, "carrying notes"), ct);
        return (labels, notes);
    }

    /// <summary>Carries semantic labels over the matches, a few latents at a time; returns how many latents received labels.</summary>
    public static async Task<int> CarryLabelsAsync(IGrainFactory grains, LineageDocument document, Action<int> progress, CancellationToken ct)
    {
        int carried = 0, done = 0;
        foreach (var chunk in document.Entries.Chunk(64))
        {
            ct.ThrowIfCancellationRequested();
            var results = await Task.WhenAll(chunk.Select(async e =>
            {
                var old = await grains.GetGrain<ILatentGrain>(LatentKey.Of(document.ParentSaeId, e.OldLatent)).GetAsync();
                if (old.SemanticLabels is not { } labels) return false;
                // Into the latent's carried slot: the new version's own labelling (SemanticLabels) is never overwritten.
                await grains.GetGrain<ILatentGrain>(LatentKey.Of(document.SaeId, e.NewLatent))
                    .SetCarriedLabelsAsync(labels with { CarriedFrom = new CarriedLabels(document.ParentSaeId, e.OldLatent, e.Score) });
                return true;
            }));
            carried += results.Count(r => r);
            progress(done += chunk.Length);
        }
        return carried;
    }

    /// <summary>
    /// Carries the notes on the parent's latents, in every investigation that lists one, to the matched latents (one
    /// change per investigation, made by the investigation itself); returns how many carried notes this mapping has put
    /// there, counting those an earlier attempt of the job carried, so a repeated stage reports the same figure.
    /// </summary>
    public static async Task<int> CarryNotesAsync(IGrainFactory grains, LineageDocument document, Action<int, int> progress, CancellationToken ct)
    {
        var successors = document.Entries.ToLookup(e => e.OldLatent);
        var investigations = await grains.GetGrain<IInvestigationIndexGrain>(IInvestigationIndexGrain.Key).ListingLatentsOfAsync(document.ParentSaeId);
        int carried = 0, done = 0;
        progress(0, investigations.Length);
        foreach (var id in investigations)
        {
            ct.ThrowIfCancellationRequested();
            carried += await CarryNotesIntoAsync(grains.GetGrain<IInvestigationGrain>(id), document, successors);
            progress(++done, investigations.Length);
        }
        return carried;
    }

    /// <summary>One investigation: the mapping for the parent's latents it lists, made against the version just read
    /// (read again and retried when a member's change came first).</summary>
    static async Task<int> CarryNotesIntoAsync(IInvestigationGrain investigation, LineageDocument document, ILookup<int, LineageEntry> successors)
    {
        for (int attempt = 1; ; attempt++)
        {
            if (await investigation.GetAsync() is not { } view) return 0;
            var listed = view.Items.Where(i => i.Kind == "latent").Select(i => InvestigationItem.ParseLatentRef(i.Ref))
                .OfType<(string SaeId, int Latent)>().Where(r => r.SaeId == document.ParentSaeId).Select(r => r.Latent).ToHashSet();
            var carry = new NoteCarry(document.ParentSaeId, document.SaeId, document.JobId,
                [.. listed.Order().SelectMany(old => successors[old]).Select(e => new LatentSuccessor(e.OldLatent, e.NewLatent, e.Score))]);
            if (carry.Successors.Length == 0) return 0;
            try
            {
                view = await investigation.CarryNotesAsync(view.Version, carry);
                return view.Items.Where(i => i.Kind == "latent" && InvestigationItem.ParseLatentRef(i.Ref)?.SaeId == document.SaeId)
                    .Sum(i => i.Notes.Count(n => n.CarriedFrom?.SaeId == document.ParentSaeId));
            }
            catch (StaleVersionException) when (attempt < 10) { }
        }
    }
}
