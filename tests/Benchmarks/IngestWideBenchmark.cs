using Actors.Blobs;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Registry;
using Actors.Tensors.Backends;
using Actors.Testing;

namespace Actors.Benchmarks;

/// <summary>
/// Ingestion as a user runs it, with a model fast enough to stand in for a GPU host: the shipped world CLIP
/// (models/world-clip, 64 px, 65 tokens, width 128) and a random 49,152-latent top-k SAE on its last block (all tokens),
/// over the world's test split, registered and started over HTTP against the API process (the embedded default:
/// one silo that is storage and GPU host, SQLite) and polled on GET /api/corpora/{id} until it completes. Its rate
/// (images ÷ seconds from POST ingestion to its job's recorded end, <see cref="BenchApi.Ingest"/>) is divided by the model stage
/// alone (<see cref="ModelAlone"/>: the same model and SAE files, in this process, before and after, averaged):
/// model_ratio=, target ≥ 0.6. With so cheap a forward, the sketches and grain deliveries decide the rate; the
/// corpus's stage shares say where the time went. The same server then ingests a second corpus of as many other
/// scenes into the same SAE (after the first's background jobs end), as a researcher who keeps ingesting does:
/// warm_ratio= is its rate over the model alone — no start-up, weights loaded, latent grains active. A round is a new
/// API process with its two corpora between two passes of the model alone; the RESULT line gives the medians over the
/// rounds, and each round's line where its first corpus's seconds went as the polls saw them (<see cref="IngestionPhases"/>).
/// first_touch_us= is what this machine charges per new page of memory (<see cref="FirstTouch"/>), which the first corpus
/// pays for every latent grain it activates.
/// Options: --images N (1000), --batch N (32), --layer L (3), --d-sae N (49152), --k N (32), --model-batches N (images/batch/4),
/// --rounds N (3), --poll-ms N (100: how often the corpus is polled; each poll takes CPU from the server it measures).
/// </summary>
public sealed class IngestWideBenchmark : IBenchmark
{
    public string Name => "ingest-wide";
    public string Description => "world CLIP + 49152-latent SAE through the API process, img/s and ratio to the model alone";

    public int Run(string[] args)
    {
        int images = BenchmarkOptions.Int(args, "--images", 1000), batch = BenchmarkOptions.Int(args, "--batch", 32);
        int layer = BenchmarkOptions.Int(args, "--layer", 3), dSae = BenchmarkOptions.Int(args, "--d-sae", 49152), k = BenchmarkOptions.Int(args, "--k", 32);
        int modelBatches = BenchmarkOptions.Int(args, "--model-batches", Math.Max(2, images / batch / 4));
        string modelDir = Path.Combine(LoopbackService.RepositoryRoot(), "models", "world-clip");
        var models = new ModelCatalog(new CpuBackend());
        var model = models.Load(modelDir);
        string saeDir = BenchCache.TopKSae($"sae-world-clip-{dSae}-k{k}", model.Model.Config.Vision.HiddenSize, dSae, k);
        string manifest = BenchCache.WorldTest(images), secondManifest = BenchCache.WorldTest(images, seed: 8);
        int rounds = BenchmarkOptions.Int(args, "--rounds", 3);
        var poll = TimeSpan.FromMilliseconds(BenchmarkOptions.Int(args, "--poll-ms", 100));
        string work = Directory.CreateTempSubdirectory("ingest-wide-").FullName;
        try
        {
            var saeRecord = new SaeRecord("world-clip", new HookSpec(layer, "all"), dSae, "topk", saeDir);
            var corpus = new CorpusSource("manifest", manifest);
            var alone = ModelAlone.Load(model, new SaeCatalog().Load(saeDir), saeRecord,
                new ImageBatchLoader(new FolderBlobStore(Path.Combine(work, "blobs")), new IngestionOptions().ThumbnailSize), corpus, batch, modelBatches);
            Console.WriteLine($"world-clip hook layer {layer} tokens all, d_sae {dSae}, k {k}, batch {batch}; {rounds} rounds, each a new API process " +
                              $"(a cold first corpus, then a second one), between two passes of the model alone ({alone.Images} preprocessed images, this process)");
            var results = new List<Round>();
            for (int r = 1; r <= rounds; r++)
            {
                var round = RunRound(Path.Combine(work, $"api-{r}"), alone, modelDir, saeDir, layer, manifest, secondManifest, batch, poll);
                results.Add(round);
                Console.WriteLine($"round {r}: {round.Describe()}");
            }
            double firstTouch = FirstTouch.MicrosecondsPerPage();
            Console.WriteLine($"this machine's first touch of new memory: {firstTouch:F2} µs per 4 KiB page");
            var last = results[^1].First.View.Stages;
            Console.WriteLine($"stages of the last round's first corpus ({last.Total:F1} s): {last.Shares()}; the model (forward + SAE encode) is " +
                              $"{(last.Forward + last.Encode) / last.Total:F3} of the ingestion's time");
            // Medians over the rounds: this machine's speed moves by up to a sixth from one minute to the next (the model
            // alone took 6.5–7.7 s for 1,000 images in one sequence), more than the margins one round's ratio is read against.
            double Median(Func<Round, double> of) => BenchApi.Percentile([.. results.Select(of).Order()], 0.5);
            Console.WriteLine($"RESULT name=ingest-wide value={Median(x => x.Rate):F2} unit=img/s bound={Median(x => x.Bound):F2} " +
                              $"model_ratio={Median(x => x.ModelRatio):F3} warm_ratio={Median(x => x.WarmRatio):F3} first_touch_us={firstTouch:F2} rounds={rounds}");
            return 0;
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    /// <summary>One round: the model alone, a new API process ingesting a cold corpus and then a warm one, the model alone again.</summary>
    static Round RunRound(string data, ModelAlone alone, string modelDir, string saeDir, int layer, string manifest, string secondManifest, int batch,
        TimeSpan poll)
    {
        double before = alone.ImagesPerSecond();
        var phases = new IngestionPhases();
        var (first, second) = IngestThroughApi(data, modelDir, saeDir, layer, manifest, secondManifest, batch, poll, phases);
        return new Round(first, second, (before + alone.ImagesPerSecond()) / 2, phases);
    }

    /// <summary>A round's two corpora (views and seconds from POST to completion) and its model-alone rate (img/s).</summary>
    sealed record Round((CorpusView View, double Seconds) First, (CorpusView View, double Seconds) Second, double Bound, IngestionPhases Phases)
    {
        public double Rate => First.View.ImagesDone / First.Seconds;
        public double ModelRatio => Rate / Bound;
        public double WarmRatio => Second.View.ImagesDone / Second.Seconds / Bound;

        public string Describe() =>
            $"{First.View.ImagesDone} images in {First.Seconds:F1} s ({Rate:F1} img/s; {First.View.ImagesPerSecond:F1} by the job's own clock), " +
            $"model alone {Bound:F1} img/s, model_ratio {ModelRatio:F3}; as the polls saw it: {Phases.Describe(First.Seconds)}, " +
            $"the model alone would take {First.View.ImagesDone / Bound:F2} s; second corpus {Second.View.ImagesDone} images in " +
            $"{Second.Seconds:F1} s, warm_ratio {WarmRatio:F3}";
    }

    /// <summary>The API process (embedded default, SQLite in <paramref name="data"/>) ingests the corpus (its polls told to
    /// <paramref name="phases"/>), then (after its background jobs) a second one into the same SAE, polling every
    /// <paramref name="poll"/>; each one's seconds run from POST ingestion to its job's end (<see cref="BenchApi.Ingest"/>).</summary>
    static ((CorpusView View, double Seconds) First, (CorpusView View, double Seconds) Second) IngestThroughApi(string data,
        string modelDir, string saeDir, int layer, string manifest, string secondManifest, int batch, TimeSpan poll, IngestionPhases phases) =>
        BenchApi.WithEmbeddedApi("ingest-wide", data, new Dictionary<string, string?> { ["Ingestion:BatchSize"] = batch.ToString() }, http =>
        {
            BenchApi.Register(http, "world-clip", modelDir, saeDir, layer, "world", manifest);
            var first = BenchApi.Ingest(http, "world", IngestTimeout, poll, phases);
            BenchApi.WaitForBackgroundJobs(http, TimeSpan.FromMinutes(10));
            BenchApi.RegisterCorpus(http, "world-2", secondManifest);
            return (first, BenchApi.Ingest(http, "world-2", IngestTimeout, poll));
        });

    static readonly TimeSpan IngestTimeout = TimeSpan.FromMinutes(30);
}
