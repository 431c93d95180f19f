using System.Diagnostics;
using Actors.Sae.Architectures;
using Actors.Sae.Training;

namespace Actors.Benchmarks;

/// <summary>
/// One full top-k training step (encoder sgemm, top-k, sparse decode, loss, sparse backward, AuxK over dead latents,
/// decoder-gradient projection, dense fused Adam over all 2·d_in·d_sae weights, renormalisation) in tok/s, against the
/// dense encoder product alone.
/// </summary>
public sealed class SaeTrainBenchmark : IBenchmark
{
    public string Name => "sae-train";
    public string Description => "top-k SAE training step tok/s vs sgemm bound (d_in 768, d_sae 49152, k 64, batch 4096, AuxK on)";

    public int Run(string[] args)
    {
        const int dIn = 768, dSae = 49152, k = 64, batch = 4096, steps = 3;
        var rows = new float[(long)batch * (steps + 1) * dIn];
        new PlantedFeatureSource(dIn, 1000, 16, seed: 2).Read(rows, batch * (steps + 1));
        var source = new ArrayActivationSource(rows, dIn);
        // Dead after one batch, so from step 2 on AuxK (k_aux = d_in/2 = 384) runs over the latents step 1 left unfired.
        var trainer = new SaeTrainer(new TopKSaeConfig(dIn, dSae, k), new SaeTrainingConfig
        {
            BatchSize = batch, TotalTokens = (long)batch * 1000, DeadAfterTokens = batch, WarmupSteps = 10, Seed = 1,
            DecoderBiasInit = DecoderBiasInit.Mean,
        });
        trainer.Train(source, stopAfterSteps: 1); // initialisation + first step
        var sw = Stopwatch.StartNew();
        var last = trainer.Train(source, stopAfterSteps: steps);
        double seconds = sw.Elapsed.TotalSeconds / steps;
        double tokPerS = batch / seconds;
        double gflops = SgemmRate.MeasureGflops(batch, dSae, dIn, repeats: 3);
        double bound = gflops * 1e9 / (2.0 * dIn * dSae);
        Console.WriteLine($"step {seconds * 1e3:F0} ms; loss {last!.Loss:G4} aux {last.AuxK:G4} L0 {last.MeanL0:F1} dead {last.DeadFraction:P1}; sgemm {gflops:F1} GFLOP/s");
        Console.WriteLine($"RESULT name=sae-train value={tokPerS:F0} unit=tok/s bound={bound:F0} ratio={tokPerS / bound:F3}");
        return 0;
    }
}
