using System.CommandLine;
using System.Text.Json;
using Actors.Vision.Clip;

namespace Actors.GpuHost.Cli;

/// <summary>`embed-text --model DIR "text"...`: CLIP text embeddings as JSON.</summary>
public sealed class EmbedTextVerb : ICliVerb
{
    public Command Build()
    {
        var model = ClipCliSupport.ModelOption();
        var activation = ClipCliSupport.ActivationOption();
        var normalize = new Option<bool>("--normalize") { Description = "L2-normalise each embedding" };
        var texts = new Argument<string[]>("texts") { Description = "texts to embed", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("embed-text", "Print CLIP text embeddings (projected features) as JSON");
        cmd.Options.Add(model); cmd.Options.Add(activation); cmd.Options.Add(normalize);
        cmd.Arguments.Add(texts);
        cmd.SetAction(parse =>
        {
            string dir = parse.GetValue(model)!;
            var clip = ClipCliSupport.LoadModel(dir, parse.GetValue(activation));
            var input = parse.GetValue(texts)!;
            var (ids, _) = ClipCliSupport.LoadTokenizer(dir).EncodeBatch(input, clip.Text.ContextLength);
            var embeds = clip.Text.Encode(ids, input.Length);
            int d = clip.Config.ProjectionDim;
            if (parse.GetValue(normalize)) embeds = Embeddings.Normalized(embeds, d);
            var rows = input.Select((t, i) => new { text = t, embedding = ClipCliSupport.Row(embeds, i, d) });
            Console.WriteLine(JsonSerializer.Serialize(rows, ClipCliSupport.Json));
            return 0;
        });
        return cmd;
    }
}
