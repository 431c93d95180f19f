using Actors.Api.Hosting;
using Actors.GpuHost.Jobs.Labelling;
using Actors.Grains.Concepts;
using Actors.Grains.Hosts;
using Actors.Grains.Registry;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Actors.Api.Endpoints;

/// <summary>A registered vocabulary: its concepts and the model whose text tower embedded them.</summary>
public sealed record VocabularyView(string Vocabulary, string ModelId, string[] Concepts);

public static class ConceptsApi
{
    const int MaxConcepts = 20_000;
    const int ConceptsPerHostCall = 1024;   // bounds each embedding reply (1,024 × 768 floats ≈ 3 MB)

    public static IEndpointRouteBuilder MapConceptsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/vocabularies").WithTags("Concepts");
        api.MapGet("/", ListVocabularies).WithName("ListVocabularies").WithSummary("Ids of the registered vocabularies");
        api.MapPut("/{vocabulary}", RegisterVocabulary).WithName("RegisterVocabulary")
            .WithSummary("Register a vocabulary from a text body, one concept per line; each is embedded with the model's text tower")
            .Accepts<string>("text/plain");
        api.MapGet("/{vocabulary}", GetVocabulary).WithName("GetVocabulary").WithSummary("A vocabulary's model and concepts");
        api.MapGet("/{vocabulary}/concepts/{concept}", GetConcept).WithName("GetConcept")
            .WithSummary("One concept: text, text embedding, aligned latents, class-level latent activations a_c[s]");
        return app;
    }

    public static async Task<Ok<string[]>> ListVocabularies(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).ListAsync(RegistryKind.Vocabulary));

    public static async Task<Results<Created<VocabularyView>, ValidationProblem>> RegisterVocabulary(
        string vocabulary, string modelId, HttpRequest request, IGrainFactory grains)
    {
        if (Problems.CheckId(vocabulary, "vocabulary") is { } idError) return Problems.Invalid("vocabulary", idError);
        if (await grains.GetGrain<IModelGrain>(modelId).GetAsync() is not { } model)
            return Problems.Invalid("modelId", $"no model '{modelId}' is registered");
        string body = await new StreamReader(request.Body).ReadToEndAsync();
        var concepts = body.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (concepts.Length == 0) return Problems.Invalid("body", "the body names no concept (one per line)");
        if (concepts.Length > MaxConcepts) return Problems.Invalid("body", $"{concepts.Length} concepts; at most {MaxConcepts} per vocabulary");
        if (concepts.FirstOrDefault(c => c.Length > 200 || c.Contains('/')) is { } bad)
            return Problems.Invalid("body", $"concept '{bad[..Math.Min(bad.Length, 40)]}' is longer than 200 characters or holds '/'");

        try { await RegisterConceptsAsync(vocabulary, modelId, model, concepts, grains); }
        catch (InvalidArtifactException e) { return Problems.Invalid("modelId", $"model '{modelId}' cannot embed text: {e.Message}"); }
        return TypedResults.Created($"/api/vocabularies/{vocabulary}", new VocabularyView(vocabulary, modelId, concepts));
    }

    /// <summary>
    /// Embeds each concept with the text tower of <paramref name="model"/> (on a host, with its registered activation)
    /// and registers its grain and the vocabulary, then queues a labelling job for every SAE of the model. A model whose
    /// files cannot embed text throws <see cref="InvalidArtifactException"/>.
    /// </summary>
    public static async Task RegisterConceptsAsync(string vocabulary, string modelId, ModelRecord model, IReadOnlyList<string> concepts, IGrainFactory grains)
    {
        var host = ModelHost.Of(grains);
        foreach (var chunk in concepts.Chunk(ConceptsPerHostCall))
        {
            var embeddings = await host.EmbedConceptsAsync(model.Path, chunk, model.Activation);
            for (int i = 0; i < chunk.Length; i++)
                await grains.GetGrain<IConceptGrain>($"{vocabulary}/{chunk[i]}").RegisterAsync(chunk[i], embeddings[i]);
        }
        await grains.GetGrain<IVocabularyGrain>(vocabulary).RegisterAsync(modelId, [.. concepts]);
        await grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).AddAsync(RegistryKind.Vocabulary, vocabulary);
        await LatentLabellingJobs.ForVocabularyAsync(grains, vocabulary, modelId);   // label the model's SAEs against it
    }

    public static async Task<Results<Ok<VocabularyRecord>, ProblemHttpResult>> GetVocabulary(string vocabulary, IGrainFactory grains) =>
        await grains.GetGrain<IVocabularyGrain>(vocabulary).GetAsync() is { } record
            ? TypedResults.Ok(record) : Problems.NotFound("vocabulary", vocabulary);

    public static async Task<Results<Ok<ConceptView>, ProblemHttpResult>> GetConcept(string vocabulary, string concept, IGrainFactory grains)
    {
        var view = await grains.GetGrain<IConceptGrain>($"{vocabulary}/{concept}").GetAsync();
        return view.Text is null && view.ClassActivations.Count == 0
            ? Problems.NotFound("concept", $"{vocabulary}/{concept}") : TypedResults.Ok(view);
    }
}
