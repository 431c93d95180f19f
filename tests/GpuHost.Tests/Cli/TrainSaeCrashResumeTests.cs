using System.Diagnostics;
using Actors.Sae.Training;
using Actors.Testing;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Xunit.Abstractions;

namespace Actors.GpuHost.Tests.Cli;

/// <summary>
/// "Retraining resumes bit-identically after SIGKILL": `train-sae` runs as a real child process (`dotnet GpuHost.dll`)
/// on a tiny random CLIP and a corpus folder; one run goes uninterrupted, another is SIGKILLed once its first
/// checkpoint is on disk and started again with --resume. The two SAELens weight files must be the same bytes.
/// </summary>
public sealed class TrainSaeCrashResumeTests(ITestOutputHelper output) : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("train-sae-crash-").FullName;
    const int Batch = 64, Steps = 1200, CheckpointEvery = 25;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task ATrainingSigkilledAfterACheckpointAndResumedWritesTheSameWeightsByteForByteAsAnUninterruptedRun()
    {
        string model = Path.Combine(root, "model"), corpus = Path.Combine(root, "corpus");
        RandomClipModel.Write(model, RandomClipModel.Preset("tiny"), 4);
        WriteCorpus(corpus, 30);
        string straight = Path.Combine(root, "straight"), crashed = Path.Combine(root, "crashed");

        var clock = Stopwatch.StartNew();
        var (code, log) = await RunAsync(Args(model, corpus, straight), TimeSpan.FromSeconds(120));
        Assert.True(code == 0, $"uninterrupted run exited {code}:\n{log}");
        output.WriteLine($"uninterrupted: {clock.Elapsed.TotalSeconds:F1} s");

        string checkpoint = Path.Combine(crashed, "checkpoint");
        long killedAt = await KillAfterFirstCheckpointAsync(Args(model, corpus, crashed), checkpoint);
        Assert.False(File.Exists(Path.Combine(crashed, "sae_weights.safetensors")), "the killed run had already finished");
        Assert.InRange(killedAt, CheckpointEvery, Steps - 1);
        output.WriteLine($"killed with the checkpoint of step {killedAt} of {Steps} on disk ({clock.Elapsed.TotalSeconds:F1} s)");

        (code, log) = await RunAsync([.. Args(model, corpus, crashed), "--resume"], TimeSpan.FromSeconds(120));
        Assert.True(code == 0, $"resumed run exited {code}:\n{log}");
        Assert.Contains($"resumed at step {killedAt} of {Steps}", log);
        Assert.False(SaeTrainer.HasCheckpoint(checkpoint), "the completed run left its checkpoint behind");

        byte[] want = File.ReadAllBytes(Path.Combine(straight, "sae_weights.safetensors"));
        byte[] got = File.ReadAllBytes(Path.Combine(crashed, "sae_weights.safetensors"));
        int firstDifference = Enumerable.Range(0, Math.Min(want.Length, got.Length)).FirstOrDefault(i => want[i] != got[i], -1);
        output.WriteLine($"weights: {want.Length} and {got.Length} bytes, first difference at {firstDifference} ({clock.Elapsed.TotalSeconds:F1} s)");
        Assert.Equal(want.Length, got.Length);
        Assert.Equal(-1, firstDifference);
        Assert.Equal(File.ReadAllText(Path.Combine(straight, "cfg.json")), File.ReadAllText(Path.Combine(crashed, "cfg.json")));
    }

    static string[] Args(string model, string corpus, string output) =>
    [
        "train-sae", "--model", model, "--corpus", corpus, "--out", output, "--layer", "0", "--tokens", "all",
        "--d-sae", "64", "--k", "4", "--batch", $"{Batch}", "--tokens-total", $"{Batch * Steps}", "--lr", "0.002",
        "--seed", "3", "--checkpoint-every", $"{CheckpointEvery}", "--eval-images", "0",
    ];

    /// <summary>30 random-noise PNGs in two class folders (the content only has to vary).</summary>
    static void WriteCorpus(string folder, int images)
    {
        var rng = new Random(5);
        for (int i = 0; i < images; i++)
        {
            string dir = Path.Combine(folder, i % 2 == 0 ? "a" : "b");
            Directory.CreateDirectory(dir);
            var px = new byte[24 * 20 * 3];
            rng.NextBytes(px);
            File.WriteAllBytes(Path.Combine(dir, $"{i:D3}.png"), ImageCodec.EncodePng(new RgbImage(24, 20, px)));
        }
    }

    static Process Start(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "GpuHost.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet GpuHost.dll");
    }

    static async Task<(int Code, string Log)> RunAsync(string[] args, TimeSpan timeout)
    {
        using var process = Start(args);
        var log = new ProcessLog();
        log.Follow(process);
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException($"train-sae ran past {timeout}:\n{log.Text(process)}"); }
        process.WaitForExit();   // drains the redirected output
        return (process.ExitCode, log.Text(process));
    }

    /// <summary>SIGKILLs the run as soon as a checkpoint file exists; returns the step that checkpoint holds.</summary>
    static async Task<long> KillAfterFirstCheckpointAsync(string[] args, string checkpoint)
    {
        using var process = Start(args);
        var log = new ProcessLog();
        log.Follow(process);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (!SaeTrainer.HasCheckpoint(checkpoint))
        {
            if (process.HasExited) throw new InvalidOperationException($"the run ended before its first checkpoint:\n{log.Text(process)}");
            if (DateTime.UtcNow > deadline) { process.Kill(true); throw new TimeoutException($"no checkpoint within 120 s:\n{log.Text(process)}"); }
            await Task.Delay(5);
        }
        process.Kill(entireProcessTree: true);   // SIGKILL: nothing is flushed, no handler runs
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode != 0, $"the run exited normally before the kill:\n{log.Text(process)}");
        return SaeTrainer.CheckpointStep(checkpoint);
    }
}
