using Actors.Api.Contracts;
using Actors.Api.Endpoints;
using Actors.Grains.Latents;
using Actors.Grains.Registry;
using Orleans;
using Actors.World;
using Actors.Silo.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Actors.Api.Demo;

/// <summary>
/// README's first command: once the server listens, register the shipped world CLIP and its SAE, generate a
/// held-out world corpus, ingest it (progress printed), and print where to look — Swagger, a sample latent, and
/// latents whose top reference images share a world factor. Runs the same handlers the HTTP API runs.
/// </summary>
public sealed class EmbeddedDemo(DemoOptions options, SiloOptions silo, IGrainFactory grains,
    Hosting.SaeDirectory directory, Hosting.ApiOptions apiOptions, IServer server, IHostApplicationLifetime lifetime)
    : BackgroundService
{
    const string ModelId = "world-clip", SaeId = "world-sae", CorpusId = "world-demo", Vocabulary = "world";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WhenStartedAsync(lifetime, stoppingToken);
        string baseUrl = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
        try { await RunAsync(baseUrl.TrimEnd('/'), stoppingToken); }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        catch (Exception e) { Console.Error.WriteLine($"demo: {e.Message}"); }
    }

    async Task RunAsync(string baseUrl, CancellationToken ct)
    {
        foreach (var (path, how) in new[] { (options.ModelPath, "train-world-clip --out models/world-clip"), (options.SaePath, "train-sae --model models/world-clip --world 20000 --out models/world-sae") })
            if (!Directory.Exists(path))
                throw new DirectoryNotFoundException($"{Path.GetFullPath(path)} is missing; make it with `dotnet run -c Release --project src/GpuHost -- {how}`");

        Console.WriteLine($"demo: registering {ModelId} ({options.ModelPath}) and {SaeId} ({options.SaePath})");
        Expect(await ModelsApi.RegisterModel(new RegisterModelRequest(ModelId, options.ModelPath), grains));
        Expect(await SaesApi.RegisterSae(new RegisterSaeRequest(SaeId, ModelId, options.SaePath), grains, directory));
        var model = await grains.GetGrain<IModelGrain>(ModelId).GetAsync()
            ?? throw new InvalidOperationException($"model '{ModelId}' is not registered after its registration");

        string folder = Path.Combine(silo.DataFolder, "corpora", CorpusId);
        string manifest = Path.Combine(folder, WorldManifest.FileName(WorldSplit.Test));
        if (!File.Exists(manifest))
        {
            Console.WriteLine($"demo: generating {options.Images} held-out world scenes in {folder}");
            manifest = WorldWriter.Write(folder, WorldSplit.Test, options.Images, options.Seed);
        }
        Expect(await CorporaApi.RegisterCorpus(new RegisterCorpusRequest(CorpusId, "manifest", manifest), grains));
        string[] concepts = [.. Enum.GetValues<Shape>().Select(WorldNames.Name), .. Enum.GetValues<ObjectColour>().Select(WorldNames.Name),
            .. Enum.GetValues<Background>().Select(WorldNames.Name)];
        await ConceptsApi.RegisterConceptsAsync(Vocabulary, ModelId, model, concepts, grains);

        var corpus = grains.GetGrain<ICorpusGrain>(CorpusId);
        var view = await corpus.GetAsync();
        // A job left running by an earlier start of this data folder resumes by itself once its lease runs out; a corpus
        // cancelled, failed or never started is started (again), which resumes past its recorded batches.
        if (view.Status != CorpusStatus.Completed && !(view.Status == CorpusStatus.Ingesting && view.JobId is not null))
            Expect(await CorporaApi.StartIngestion(CorpusId, new StartIngestionRequest(SaeId), grains));
        view = await corpus.GetAsync();
        Console.WriteLine($"demo: dashboard   {baseUrl}/ (sign in with the API key printed at the first start)");
        Console.WriteLine($"demo: Swagger UI  {baseUrl}/swagger");
        Console.WriteLine($"demo: progress    {baseUrl}/api/corpora/{CorpusId}" + (view.JobId is { } job ? $" (job {baseUrl}/api/jobs/{job})" : ""));
        while ((view = await corpus.GetAsync()).Status == CorpusStatus.Ingesting)
        {
            Console.WriteLine(view.BatchesTotal == 0
                ? $"demo: ingesting {CorpusId}: queued, waiting for a host to take the job"   // no host has read the corpus yet
                : $"demo: ingesting {CorpusId} {Bar(view.BatchesProcessed, view.BatchesTotal)} {view.BatchesProcessed}/{view.BatchesTotal} batches, " +
                  $"{view.ImagesDone}/{view.ImagesTotal} images checkpointed");
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
        }
        if (view.Status is CorpusStatus.Failed or CorpusStatus.Cancelled)
            throw new InvalidOperationException($"ingestion {view.Status.ToString().ToLowerInvariant()}{(view.Error is null ? "" : $": {view.Error}")}; restart to resume it");
        Console.WriteLine($"demo: ingested {view.ImagesDone} images ({view.FailedFiles.Length} unreadable) in {view.Stages.Total:F1} s, " +
                          $"{view.ImagesPerSecond:F1} img/s: {view.Stages.Shares()}");
        await ReportAsync(baseUrl, manifest);
    }

    async Task ReportAsync(string baseUrl, string manifest)
    {
        var world = WorldManifest.Read(manifest).ToDictionary(e => e.Path, StringComparer.Ordinal);
        var page = await LatentsApi.ListLatents(SaeId, grains, apiOptions, sort: "frequency", pageSize: apiOptions.MaxPageSize);
        if (page.Result is not Microsoft.AspNetCore.Http.HttpResults.Ok<LatentPage> { Value: { } latents }) return;
        var shared = new List<SharedFactor>();
        foreach (var item in latents.Items.Where(i => i.ImageFrequency is > 0.005 and < 0.5))
            if (SharedFactorReport.Of(await grains.GetGrain<ILatentGrain>(LatentKey.Of(SaeId, item.Latent)).GetAsync(), world) is { } s)
                shared.Add(s);
        Console.WriteLine($"demo: {latents.Total} latents fired; sample: {baseUrl}/api/saes/{SaeId}/latents/{latents.Items.FirstOrDefault()?.Latent ?? 0}");
        // The most selective latent for each factor value, so the list shows colours, shapes, backgrounds and words.
        var best = shared.GroupBy(s => (s.Factor, s.Value))
            .Select(g => g.OrderByDescending(s => (double)s.Sharing / s.References).ThenBy(s => s.Latent).First());
        foreach (var s in best.OrderByDescending(s => (double)s.Sharing / s.References).ThenBy(s => s.Factor).Take(16))
            Console.WriteLine($"demo: latent {s.Latent,5}: {s.Sharing}/{s.References} top images share {s.Factor}={s.Value}  " +
                              $"{baseUrl}/api/saes/{SaeId}/latents/{s.Latent}/references/0/image.png?overlay=true");
    }

    static void Expect(IResult result)
    {
        if (result is IStatusCodeHttpResult { StatusCode: >= 400 } failed)
            throw new InvalidOperationException($"demo step failed with HTTP {failed.StatusCode}: {Describe(result)}");
    }

    static string Describe(IResult result) => result switch
    {
        IValueHttpResult { Value: Microsoft.AspNetCore.Http.HttpValidationProblemDetails v } => string.Join("; ", v.Errors.SelectMany(e => e.Value)),
        IValueHttpResult { Value: Microsoft.AspNetCore.Mvc.ProblemDetails p } => p.Detail ?? p.Title ?? "",
        _ => result.GetType().Name,
    };

    static string Bar(long done, long total)
    {
        int width = 30, filled = total > 0 ? (int)(width * done / total) : 0;
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }

    static Task WhenStartedAsync(IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        var started = new TaskCompletionSource();
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        ct.Register(() => started.TrySetCanceled());
        return started.Task;
    }
}
