using Actors.Api.Identity;
using Actors.Api.Contracts;
using Actors.Grains.Registry;
using Orleans;
using Actors.GpuHost.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Actors.Api.Endpoints;

public static class CorporaApi
{
    public static IEndpointRouteBuilder MapCorporaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/corpora").WithTags("Corpora");
        api.MapGet("/", ListCorpora).WithName("ListCorpora").WithSummary("Ids of the registered corpora");
        api.MapGet("/{id}", GetCorpus).WithName("GetCorpus")
            .WithSummary("A corpus's source, ingestion status and progress, and the files that could not be read");
        api.MapPost("/", RegisterCorpus).WithName("RegisterCorpus")
            .WithSummary("Register a corpus: a folder (class per sub-folder optional) or a manifest (JSON Lines or CSV)")
            .RequireAuthorization(ActorsClaims.AdminPolicy);
        api.MapPost("/{id}/ingestion", StartIngestion).WithName("StartIngestion")
            .WithSummary("Start or resume ingesting the corpus through an SAE as a job of kind \"ingestion\" (its id is the answer's jobId, " +
                         "its progress at /api/jobs/{jobId}); the corpus's progress at /api/corpora/{id}");
        return app;
    }

    public static async Task<Ok<string[]>> ListCorpora(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).ListAsync(RegistryKind.Corpus));

    public static async Task<Results<Ok<CorpusView>, ProblemHttpResult>> GetCorpus(string id, IGrainFactory grains)
    {
        var view = await grains.GetGrain<ICorpusGrain>(id).GetAsync();
        return view.Source is null ? Problems.NotFound("corpus", id) : TypedResults.Ok(view);
    }

    public static async Task<Results<Created<CorpusView>, ValidationProblem>> RegisterCorpus(
        RegisterCorpusRequest request, IGrainFactory grains)
    {
        if (Problems.CheckId(request.Id, "id") is { } idError) return Problems.Invalid("id", idError);
        if (request.Kind is null || !CorpusSource.Kinds.Contains(request.Kind))
            return Problems.Invalid("kind", $"kind '{request.Kind}' is not one of {string.Join(", ", CorpusSource.Kinds)}");
        if (string.IsNullOrWhiteSpace(request.Path)) return Problems.Invalid("path", "path is required");
        bool exists = request.Kind == "folder" ? Directory.Exists(request.Path) : File.Exists(request.Path);
        if (!exists) return Problems.Invalid("path", $"{request.Kind} '{request.Path}' does not exist on the server");
        var source = new CorpusSource(request.Kind, Path.GetFullPath(request.Path));
        try { _ = CorpusReader.Read(source); }
        catch (ArtifactLoadException e) { return Problems.Invalid("path", e.Message); }

        var corpus = grains.GetGrain<ICorpusGrain>(request.Id);
        await corpus.RegisterAsync(source);
        await grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).AddAsync(RegistryKind.Corpus, request.Id);
        return TypedResults.Created($"/api/corpora/{request.Id}", await corpus.GetAsync());
    }

    public static async Task<Results<Accepted<CorpusView>, ValidationProblem, ProblemHttpResult>> StartIngestion(
        string id, StartIngestionRequest request, IGrainFactory grains)
    {
        var corpus = grains.GetGrain<ICorpusGrain>(id);
        if ((await corpus.GetAsync()).Source is null) return Problems.NotFound("corpus", id);
        if (string.IsNullOrWhiteSpace(request.SaeId)) return Problems.Invalid("saeId", "saeId is required");
        if ((await grains.GetGrain<ISaeGrain>(request.SaeId).GetAsync()).Record is null)
            return Problems.Invalid("saeId", $"no SAE '{request.SaeId}' is registered");
        if (request.VocabularyId is { } vocabulary &&
            !(await grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).ListAsync(RegistryKind.Vocabulary)).Contains(vocabulary))
            return Problems.Invalid("vocabularyId", $"no vocabulary '{vocabulary}' is registered");
        var start = await corpus.StartIngestionAsync(request.SaeId, request.VocabularyId);
        return start.Started ? TypedResults.Accepted($"/api/corpora/{id}", start.View) : Problems.Conflict(start.Refusal!);
    }
}
