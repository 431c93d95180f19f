namespace Actors.Analysis.Steering;

/// <summary>How an intervention changes a latent's activation a on every hooked row.</summary>
public enum SteeringOp
{
    /// <summary>a' = value: seed 001 Sec. 6.1 replaces the feature's activation "across all patches" with strength s.</summary>
    Set,
    /// <summary>a' = a · value.</summary>
    Scale,
    /// <summary>a' = a + value.</summary>
    Add,
}

/// <summary>
/// One edit of one latent's activation, applied to every row the SAE reads (all hooked tokens of every image).
/// Several interventions may name the same latent: they apply in order (set 2, then scale 3, gives 6).
/// </summary>
public sealed record LatentIntervention(int Latent, SteeringOp Op, float Value)
{
    public float Apply(float activation) => Op switch
    {
        SteeringOp.Set => Value,
        SteeringOp.Scale => activation * Value,
        SteeringOp.Add => activation + Value,
        _ => throw new ArgumentOutOfRangeException(nameof(Op), $"unknown steering op {Op}"),
    };

    /// <summary>Zero ablation of a latent (seed 001 Sec. 7.1: "zero ablation to the set of SAE features F^l").</summary>
    public static LatentIntervention Ablate(int latent) => new(latent, SteeringOp.Set, 0f);

    /// <summary>"set", "scale" or "add" (any case).</summary>
    public static bool TryParseOp(string? text, out SteeringOp op)
    {
        SteeringOp? parsed = text?.ToLowerInvariant() switch
        {
            "set" => SteeringOp.Set, "scale" => SteeringOp.Scale, "add" => SteeringOp.Add, _ => null,
        };
        op = parsed.GetValueOrDefault();
        return parsed.HasValue;
    }

    public static string Name(SteeringOp op) => op.ToString().ToLowerInvariant();
}
