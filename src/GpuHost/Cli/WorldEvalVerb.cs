using System.CommandLine;
using System.Globalization;
using Actors.World.Training;

namespace Actors.GpuHost.Cli;

/// <summary>`world-eval --model DIR`: zero-shot figures of a CLIP on the world's held-out splits, one RESULT line each.</summary>
public sealed class WorldEvalVerb : ICliVerb
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face CLIPModel folder (config.json, model.safetensors, vocab.json, merges.txt, preprocessor_config.json)", Required = true };
        var seed = new Option<ulong>("--world-seed") { Description = "world seed (the one the model was trained with)", DefaultValueFactory = _ => 1UL };
        var count = new Option<int>("--count") { Description = "scenes per held-out split", DefaultValueFactory = _ => 2000 };
        var cmd = new Command("world-eval", "Zero-shot colour/shape/background/word accuracy, spurious worst-group accuracy and background reliance, and typographic flip rate on held-out world splits.");
        cmd.Options.Add(model); cmd.Options.Add(seed); cmd.Options.Add(count);
        cmd.SetAction(parse =>
        {
            var eval = WorldEvaluation.Load(parse.GetValue(model)!);
            var details = new List<(string Name, double Value)>();
            foreach (var (name, value) in eval.Run(parse.GetValue(seed), parse.GetValue(count), (n, v) => details.Add((n, v))))
                Console.WriteLine($"RESULT name={name} value={value.ToString("F4", CultureInfo.InvariantCulture)}");
            Console.WriteLine("breakdown: " + string.Join(", ", details.Select(d => $"{d.Name} {d.Value.ToString("F3", CultureInfo.InvariantCulture)}")));
            return 0;
        });
        return cmd;
    }
}
