using System.CommandLine;
using Actors.Vision.Clip;

namespace Actors.GpuHost.Cli;

/// <summary>`generate-model --out DIR --preset tiny|vit-b-32 --seed N [--layout hf|openclip]`: a seeded random CLIP.</summary>
public sealed class GenerateModelVerb : ICliVerb
{
    public Command Build()
    {
        var output = new Option<string>("--out") { Description = "folder to write", Required = true };
        var preset = new Option<string>("--preset") { Description = "tiny | vit-b-32", DefaultValueFactory = _ => "tiny" };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => 1 };
        var layout = new Option<string>("--layout") { Description = "hf (CLIPModel folder) | openclip (state dict)", DefaultValueFactory = _ => "hf" };
        var cmd = new Command("generate-model", "Write a deterministic random CLIP model (weights, config, tokenizer files)");
        cmd.Options.Add(output); cmd.Options.Add(preset); cmd.Options.Add(seed); cmd.Options.Add(layout);
        cmd.SetAction(parse =>
        {
            var config = RandomClipModel.Preset(parse.GetValue(preset)!);
            string dir = parse.GetValue(output)!;
            var weights = RandomClipModel.Generate(config, parse.GetValue(seed));
            switch (parse.GetValue(layout))
            {
                case "hf": RandomClipModel.WriteHuggingFace(dir, weights); break;
                case "openclip":
                    RandomClipModel.WriteOpenClip(dir, weights);
                    File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJson());
                    break;
                default: Console.Error.WriteLine($"unknown layout '{parse.GetValue(layout)}' (hf or openclip)"); return 2;
            }
            Console.WriteLine($"wrote {parse.GetValue(preset)} CLIP (seed {parse.GetValue(seed)}, {parse.GetValue(layout)} layout) to {dir}");
            return 0;
        });
        return cmd;
    }
}
