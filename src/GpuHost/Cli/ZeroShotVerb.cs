using System.CommandLine;
using System.Text.Json;
using Actors.Vision.Clip;

namespace Actors.GpuHost.Cli;

/// <summary>
/// `zero-shot --model DIR --images FOLDER --labels a,b,c [--templates "a photo of a {}.|a drawing of a {}."]`:
/// per-image class probabilities as JSON lines. Undecodable files are reported on stderr and skipped.
/// </summary>
public sealed class ZeroShotVerb : ICliVerb
{
    static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".gif", ".bmp"];

    public Command Build()
    {
        var model = ClipCliSupport.ModelOption();
        var activation = ClipCliSupport.ActivationOption();
        var images = new Option<string>("--images") { Description = "folder of images (searched recursively)", Required = true };
        var labels = new Option<string>("--labels") { Description = "comma-separated class names", Required = true };
        var templates = new Option<string?>("--templates") { Description = "'|'-separated prompt templates with {} for the label (default: \"a photo of a {}.\")" };
        var batchSize = new Option<int>("--batch") { Description = "images per forward", DefaultValueFactory = _ => 16 };
        var cmd = new Command("zero-shot", "Classify the images in a folder among text labels with CLIP (prints per-image probabilities)");
        cmd.Options.Add(model); cmd.Options.Add(activation); cmd.Options.Add(images); cmd.Options.Add(labels); cmd.Options.Add(templates); cmd.Options.Add(batchSize);
        cmd.SetAction(parse =>
        {
            string dir = parse.GetValue(model)!, folder = parse.GetValue(images)!;
            if (!Directory.Exists(folder)) { Console.Error.WriteLine($"image folder not found: {folder}"); return 2; }
            var names = parse.GetValue(labels)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var tpl = parse.GetValue(templates)?.Split('|', StringSplitOptions.RemoveEmptyEntries) ?? ZeroShotClassifier.DefaultTemplates.ToArray();
            var clip = ClipCliSupport.LoadModel(dir, parse.GetValue(activation));
            var classifier = ZeroShotClassifier.Create(clip, ClipCliSupport.LoadTokenizer(dir), names, tpl);
            var preprocessor = ClipCliSupport.LoadPreprocessor(dir, clip.Config);
            var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal).ToList();
            int failures = 0, size = Math.Max(1, parse.GetValue(batchSize));
            foreach (var chunk in files.Chunk(size))
            {
                var batch = preprocessor.PreprocessBatch(chunk);
                foreach (var e in batch.Errors) { failures++; Console.Error.WriteLine($"skipped {e.Path}: {e.Message}"); }
                if (batch.Count == 0) continue;
                var probs = classifier.Classify(batch.Pixels, batch.Count);
                for (int i = 0; i < batch.Count; i++)
                {
                    var row = names.Select((n, j) => (n, p: probs[i * names.Length + j])).ToList();
                    var best = row.MaxBy(r => r.p);
                    Console.WriteLine(JsonSerializer.Serialize(new
                    {
                        image = batch.Paths[i],
                        top = best.n,
                        probabilities = row.ToDictionary(r => r.n, r => Math.Round(r.p, 6)),
                    }, ClipCliSupport.Json));
                }
            }
            Console.Error.WriteLine($"{files.Count - failures} images classified, {failures} skipped");
            return 0;
        });
        return cmd;
    }
}
