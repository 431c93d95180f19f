using System.Diagnostics;
using Actors.Grains.Concepts;
using Actors.Grains.Hosts;
using Actors.Grains.Latents;
using Actors.Grains.Registry;
using Orleans;
using Actors.Vision.Clip;
using Actors.GpuHost.Ingestion;
using Actors.Silo.Hosting;
using Actors.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Benchmarks;

/// <summary>
/// End-to-end ingestion images/s — decode + preprocess, CLIP ViT-B/32-shaped forward to the hook, a 49,152-latent
/// top-k SAE, sketches, grain merges, SQLite checkpoints — and its ratio to the same run's plain CLIP image-encoding
/// rate (ratio=; the clip-image measurement: full forward of the same batch, before and after the ingestion, averaged;
/// target ≥ 0.8) and to the same run's model stage alone (model_ratio=; <see cref="ModelAlone"/>: forward to the hook +
/// SAE encode on the corpus's first batches, preprocessed, before and after, averaged; target ≥ 0.9 with all tokens).
/// Options: --images N (256), --batch N (32), --layer L (11), --tokens all|cls|patches (all), --d-sae N (49152), --k N (64),
/// --vocabulary (a vocabulary of the corpus's classes, so each image's Act×Grad relevance for its class prompt is
/// computed too: one backward per image; its seconds per image are printed).
/// </summary>
public sealed class IngestBenchmark : IBenchmark
{
    public string Name => "ingest";
    public string Description => "end-to-end ingestion img/s with ViT-B/32 + 49152-latent top-k SAE, ratios to clip-image and to the model alone";

    public int Run(string[] args)
    {
        int images = BenchmarkOptions.Int(args, "--images", 256), batch = BenchmarkOptions.Int(args, "--batch", 32), layer = BenchmarkOptions.Int(args, "--layer", 11);
        int dSae = BenchmarkOptions.Int(args, "--d-sae", 49152), k = BenchmarkOptions.Int(args, "--k", 64);
        string tokens = BenchmarkOptions.Text(args, "--tokens") ?? "all";
        string modelDir = Path.Combine(BenchCache.Root, "clip-vit-b-32-seed1");
        var config = RandomClipModel.Preset("vit-b-32");
        if (!File.Exists(Path.Combine(modelDir, "model.safetensors"))) RandomClipModel.Write(modelDir, config, 1);
        string saeDir = BenchCache.TopKSae($"sae-vit-b-32-{dSae}-k{k}", config.Vision.HiddenSize, dSae, k);
        string manifest = BenchCache.WorldTest(images);

        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BatchSize"] = batch.ToString(),
        }).Build();
        // The GPU host's services (GpuHostServices): ingestion, and the blob store for thumbnails (the silo's data folder).
        using var silo = BenchSilo.Start(b => b.Services.AddIngestion(settings).AddBlobStore(b.Configuration));
        var provider = silo.Host.Services;
        var grains = silo.Grains;

        var model = provider.GetRequiredService<ModelCatalog>().Load(modelDir);
        grains.GetGrain<IModelGrain>("vit").RegisterAsync(provider.GetRequiredService<ModelCatalog>().Inspect(modelDir)).GetAwaiter().GetResult();
        var saeRecord = new SaeRecord("vit", new HookSpec(layer, tokens), dSae, "topk", saeDir);
        grains.GetGrain<ISaeGrain>("sae").RegisterAsync(saeRecord).GetAwaiter().GetResult();
        var corpus = new CorpusSource("manifest", manifest);
        grains.GetGrain<ICorpusGrain>("bench").RegisterAsync(corpus).GetAwaiter().GetResult();
        var sae = provider.GetRequiredService<SaeCatalog>().Load(saeDir);
        string? vocabulary = null;
        if (args.Contains("--vocabulary"))
        {
            // The corpus's classes embedded by the model's text tower, as PUT /api/vocabularies does.
            string[] classes = [.. CorpusReader.Read(corpus).Select(i => i.Label).OfType<string>().Distinct(StringComparer.Ordinal)];
            var prompts = provider.GetRequiredService<ConceptEncoder>().Embed(model, classes);
            for (int c = 0; c < classes.Length; c++)
                grains.GetGrain<IConceptGrain>($"bench-classes/{classes[c]}").RegisterAsync(classes[c], prompts[c]).GetAwaiter().GetResult();
            grains.GetGrain<IVocabularyGrain>("bench-classes").RegisterAsync("vit", classes).GetAwaiter().GetResult();
            vocabulary = "bench-classes";
        }

        // The clip-image measurement in this run: full forwards of preprocessed batches of the same images, before and
        // after the ingestion — a shared machine's speed drifts within minutes, so the bound is their mean.
        var pixels = new float[batch * model.Preprocessor.FloatsPerImage];
        var embeddings = new float[batch * model.Model.Vision.ProjectionDim];
        model.Model.Vision.Encode(pixels, batch, embeddings);
        double ClipRate()
        {
            var clipClock = Stopwatch.StartNew();
            int clipBatches = Math.Max(2, images / batch / 2);
            for (int i = 0; i < clipBatches; i++) model.Model.Vision.Encode(pixels, batch, embeddings);
            return clipBatches * batch / clipClock.Elapsed.TotalSeconds;
        }
        double clipBefore = ClipRate();
        var alone = ModelAlone.Load(model, sae, saeRecord, provider.GetRequiredService<ImageBatchLoader>(), corpus, batch, Math.Max(2, images / batch / 2));
        double aloneBefore = alone.ImagesPerSecond();

        var job = provider.GetRequiredService<IngestionJob>();
        var clock = Stopwatch.StartNew();
        job.RunAsync(new IngestionRequest("bench", "sae", vocabulary), default).GetAwaiter().GetResult();
        double seconds = clock.Elapsed.TotalSeconds;
        double aloneAfter = alone.ImagesPerSecond(), aloneRate = (aloneBefore + aloneAfter) / 2;
        double clipAfter = ClipRate(), clipRate = (clipBefore + clipAfter) / 2;
        var view = grains.GetGrain<ICorpusGrain>("bench").GetAsync().GetAwaiter().GetResult();
        double rate = view.ImagesDone / seconds;
        Console.WriteLine($"hook layer {layer} tokens {tokens}, d_sae {dSae}, k {k}, batch {batch}: {view.ImagesDone} images in {seconds:F1} s");
        Console.WriteLine($"clip-image in this run: {clipBefore:F2} img/s before, {clipAfter:F2} after; peak memory {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB");
        Console.WriteLine($"model alone (forward to the hook + SAE encode, {alone.Images} preprocessed images): {aloneBefore:F2} img/s before, {aloneAfter:F2} after");
        var stages = view.Stages;
        Console.WriteLine($"stages ({stages.Total:F1} s): {stages.Shares()}; the model (forward + SAE encode) is " +
                          $"{(stages.Forward + stages.Encode) / stages.Total:F3} of the ingestion's time");
        if (vocabulary is not null)
            Console.WriteLine($"relevance for the class prompts: {stages.Relevance / view.ImagesDone * 1000:F2} ms per image " +
                              $"(forward {stages.Forward / view.ImagesDone * 1000:F2} ms, SAE encode {stages.Encode / view.ImagesDone * 1000:F2} ms per image)");
        Console.WriteLine($"RESULT name=ingest value={rate:F2} unit=img/s bound={clipRate:F2} ratio={rate / clipRate:F3} model_ratio={rate / aloneRate:F3}");
        return 0;
    }
}
