using System.Globalization;
using Actors.GpuHost.Cli;

namespace Actors.GpuHost.Tests.Evaluations;

/// <summary>
/// `world-claims` on a small world: the shipped world CLIP, an SAE of 32 latents trained on 200 scenes, a few dozen
/// scenes per analysis. Every RESULT line the README promises is printed, with values in their ranges, and the plots
/// decode; a second run loads the cached SAE instead of training again and prints the same figures.
/// </summary>
[Collection("console")]
public sealed class WorldClaimsTests : IDisposable
{
    readonly string data = Directory.CreateTempSubdirectory("world-claims-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    internal static string ModelFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "models", "world-clip", "config.json"))) return Path.Combine(dir.FullName, "models", "world-clip");
        throw new DirectoryNotFoundException("models/world-clip not found above the test binaries");
    }

    string[] Run()
    {
        var (oldOut, output) = (Console.Out, new StringWriter());
        Console.SetOut(output);
        try
        {
            int code = new WorldClaimsVerb().Build().Parse(["--model", ModelFolder(), "--data", data, "--test-images", "36",
                "--reference-images", "12", "--spurious-images", "48", "--selection-images", "36", "--sae-scenes", "200",
                "--sae-epochs", "3", "--d-sae", "32", "--k", "4", "--plots", Path.Combine(data, "plots")]).Invoke();
            Assert.Equal(0, code);
        }
        finally { Console.SetOut(oldOut); }
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    static double Value(string[] lines, string prefix)
    {
        var line = Assert.Single(lines, l => l.StartsWith(prefix + " value=", StringComparison.Ordinal));
        return double.Parse(line[(line.LastIndexOf('=') + 1)..], CultureInfo.InvariantCulture);
    }

    [Fact]
    public void EveryPromisedResultIsPrintedInRangeAndTheSaeIsTrainedOnceThenLoaded()
    {
        var lines = Run();
        foreach (var method in new[] { "actxgrad", "actxlogitlens", "logitlens", "energy", "ig", "random" })
        {
            Assert.InRange(Value(lines, $"RESULT name=deletion-auc method={method}"), -1, 1);
            Assert.InRange(Value(lines, $"RESULT name=insertion-auc method={method}"), -1, 1);
            Assert.InRange(Value(lines, $"RESULT name=random-deletion-auc method={method}"), -1, 1);
        }
        Assert.Contains(Value(lines, "RESULT name=spurious-flagged"), new[] { 0.0, 1.0 });
        Assert.True(Value(lines, "RESULT name=hidden-concepts") >= 0);
        // Each probed failure mode has all three App. D.2 probers.
        foreach (var text in lines.Where(l => l.StartsWith("RESULT name=spurious-auc ", StringComparison.Ordinal) && l.Contains(" prober=text ")))
        {
            string latent = text.Split(' ').Single(t => t.StartsWith("latent=", StringComparison.Ordinal));
            foreach (var prober in new[] { "templates", "linear" })
                Assert.InRange(Value(lines, $"RESULT name=spurious-auc {latent} prober={prober}"), 0, 1);
        }
        Assert.InRange(Value(lines, "RESULT name=word-latents-found"), 0, 32);
        foreach (var k in new[] { 1, 5, 10 })
            foreach (var selection in new[] { "class", "random" })
                Assert.InRange(Value(lines, $"RESULT name=masking-accuracy k={k} selection={selection}"), 0, 1);
        Assert.Contains(lines, l => l.Contains("embedding 200 training scenes"));
        Assert.Equal(2, Directory.GetDirectories(data).Length);   // the cached SAE and the plots
        foreach (var plot in new[] { "faithfulness", "failure-modes", "probing", "masking" })
            Actors.Vision.Imaging.ImageCodec.Decode(Path.Combine(data, "plots", plot + ".png"));

        var again = Run();
        Assert.DoesNotContain(again, l => l.Contains("training scenes"));
        Assert.Equal(lines.Where(l => l.StartsWith("RESULT")), again.Where(l => l.StartsWith("RESULT")));
    }
}
