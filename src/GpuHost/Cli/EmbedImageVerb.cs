using System.CommandLine;
using System.Text.Json;
using Actors.Vision.Clip;

namespace Actors.GpuHost.Cli;

/// <summary>`embed-image --model DIR FILE...`: CLIP image embeddings as JSON; undecodable files are reported and skipped.</summary>
public sealed class EmbedImageVerb : ICliVerb
{
    public Command Build()
    {
        var model = ClipCliSupport.ModelOption();
        var activation = ClipCliSupport.ActivationOption();
        var normalize = new Option<bool>("--normalize") { Description = "L2-normalise each embedding" };
        var files = new Argument<string[]>("files") { Description = "image files", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("embed-image", "Print CLIP image embeddings (projected features) as JSON");
        cmd.Options.Add(model); cmd.Options.Add(activation); cmd.Options.Add(normalize);
        cmd.Arguments.Add(files);
        cmd.SetAction(parse =>
        {
            string dir = parse.GetValue(model)!;
            var clip = ClipCliSupport.LoadModel(dir, parse.GetValue(activation));
            var batch = ClipCliSupport.LoadPreprocessor(dir, clip.Config).PreprocessBatch(parse.GetValue(files)!);
            foreach (var e in batch.Errors) Console.Error.WriteLine($"skipped {e.Path}: {e.Message}");
            int d = clip.Config.ProjectionDim;
            var embeds = batch.Count == 0 ? [] : clip.Vision.Encode(batch.Pixels, batch.Count);
            if (parse.GetValue(normalize)) embeds = Embeddings.Normalized(embeds, d);
            var rows = batch.Paths.Select((p, i) => new { image = p, embedding = ClipCliSupport.Row(embeds, i, d) });
            Console.WriteLine(JsonSerializer.Serialize(rows, ClipCliSupport.Json));
            return batch.Errors.Count == 0 ? 0 : 1;
        });
        return cmd;
    }
}
