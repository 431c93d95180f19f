using System.Net;
using System.Text.Json;
using Actors.GpuHost.Jobs.Retraining;
using Actors.Grains.Investigations;
using Actors.Grains.Jobs;
using Actors.Grains.Latents;
using Actors.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace Actors.Api.Tests.Fixtures;

/// <summary>
/// The ingested test world (SQLite), every latent of its SAE "sae" given a semantic label "label-{i}", latent
/// <see cref="OwnLabelLatent"/> of the coming "sae-v2" given a label of its own, an investigation of the caller's
/// (<see cref="InvestigationId"/>) listing every latent of "sae" with a note on each, then one retraining submitted
/// through the API and followed to its end on the embedded host, with every progress the job resource showed.
/// Seed 8 is the seed TestWorld drew the parent's random weights with: the new version starts from the parent's
/// initialisation, so its latent i descends from the parent's latent i — the identity the matching must find.
/// </summary>
public sealed class RetrainingApiFixture() : IngestedApiFixture(StorageKind.Sqlite)
{
    public const string NewSaeId = "sae-v2";
    public const string InvestigationId = "inv-lineage";
    public const int Seed = 8, Steps = 400, Batch = 64, OwnLabelLatent = 3, EvaluationImages = 8;

    public HttpResponseMessage Submission { get; private set; } = null!;
    public JobView Job { get; private set; } = null!;
    public SaeRetrainingResult Result { get; private set; } = null!;
    public List<JobProgress> Seen { get; } = [];

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Jobs:HeartbeatSeconds"] = "0.05";   // progress reaches the job resource every 50 ms
        settings["Jobs:LeaseSeconds"] = "10";
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var grains = Factory.Services.GetRequiredService<IGrainFactory>();
        for (int i = 0; i < TestWorld.DSae; i++)
            await grains.GetGrain<ILatentGrain>(LatentKey.Of(SaeId, i)).SetSemanticLabelsAsync(
                new SemanticLabeling(VocabularyId, [new SemanticLabel($"label-{i}", 0.5), new SemanticLabel("other", 0.1)]));
        await grains.GetGrain<ILatentGrain>(LatentKey.Of(NewSaeId, OwnLabelLatent)).SetSemanticLabelsAsync(
            new SemanticLabeling(VocabularyId, [new SemanticLabel("own", 0.9)]));

        string me = JsonDocument.Parse(await Client.GetStringAsync("/api/me")).RootElement.GetProperty("userId").GetString()!;
        var investigation = grains.GetGrain<IInvestigationGrain>(InvestigationId);
        var view = await investigation.CreateAsync("Lineage", "", new InvestigationMember(me, "admin", InvestigationRole.Owner));
        for (int i = 0; i < TestWorld.DSae; i++)
        {
            view = await investigation.AddItemAsync(view.Version, "latent", $"{SaeId}/{i}", "admin");
            view = await investigation.AddNoteAsync(view.Version, view.Items[^1].ItemId,
                new InvestigationNote($"n-{i}", me, "admin", $"note on latent {i}", $"<p>note on latent {i}</p>", DateTimeOffset.UtcNow));
        }

        Submission = await Client.PostAsync($"/api/saes/{SaeId}/retraining", new
        {
            architecture = "topk", width = TestWorld.DSae, k = TestWorld.K, layer = TestWorld.Layer, tokens = "all",
            corpusIds = new[] { CorpusId }, steps = Steps, batchSize = Batch, learningRate = 4e-4, seed = Seed, checkpointEvery = 50,
            evaluationImages = EvaluationImages, coActivationImages = 64, reingest = true,
        });
        if (Submission.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"retraining: {(int)Submission.StatusCode} {await Submission.Content.ReadAsStringAsync()}");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(240);
        do
        {
            Job = await Client.GetAsync<JobView>(Submission.Headers.Location!.OriginalString);
            if (Job.Status == JobStatus.Running) Seen.Add(Job.Progress);
            if (Job.Status.IsEnded()) break;
            await Task.Delay(20);
        } while (DateTime.UtcNow < deadline);
        if (Job.Status != JobStatus.Succeeded) throw new InvalidOperationException($"retraining job {Job.JobId} is {Job.Status}: {Job.Error}");
        Result = JsonSerializer.Deserialize<SaeRetrainingResult>(Job.Result!, ApiJson.Options)!;
    }
}
