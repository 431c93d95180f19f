using System.CommandLine;
using Actors.World;
using Spectre.Console;

namespace Actors.GpuHost.Cli;

/// <summary>`world-generate --out DIR --split train|test|spurious-train|spurious-test|typographic --count N --seed S`.</summary>
public sealed class WorldGenerateVerb : ICliVerb
{
    public Command Build()
    {
        var outDir = new Option<string>("--out") { Description = "Folder to write images/ and <split>.jsonl into", Required = true };
        var split = new Option<string>("--split") { Description = "train | test | spurious-train | spurious-test | typographic", Required = true };
        var count = new Option<int>("--count") { Description = "Number of scenes", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed") { Description = "World seed", DefaultValueFactory = _ => 1UL };
        var size = new Option<int>("--size") { Description = "Image side in pixels", DefaultValueFactory = _ => 64 };
        var cmd = new Command("world-generate", "Render a split of the synthetic world (images + JSON Lines manifest).");
        foreach (var o in new Option[] { outDir, split, count, seed, size }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            WorldSplit which;
            try { which = WorldSplits.Parse(parse.GetValue(split)!); }
            catch (FormatException e) { Console.Error.WriteLine(e.Message); return 2; }
            int n = parse.GetValue(count);
            if (n < 0) { Console.Error.WriteLine("--count must be ≥ 0"); return 2; }
            string manifest = "";
            AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                    new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"world {WorldSplits.Name(which)}", maxValue: Math.Max(1, n));
                    var progress = new Progress<int>(d => task.Value = Math.Max(task.Value, d));
                    manifest = WorldWriter.Write(parse.GetValue(outDir)!, which, n, parse.GetValue(seed), parse.GetValue(size), progress);
                    task.Value = task.MaxValue;
                });
            Console.WriteLine($"wrote {n} scenes; manifest {manifest}");
            return 0;
        });
        return cmd;
    }
}
