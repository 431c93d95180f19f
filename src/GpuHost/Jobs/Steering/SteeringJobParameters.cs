namespace Actors.GpuHost.Jobs.Steering;

/// <summary>Field-level checks of job parameters, shared by the API (400 naming the field) and the handlers.</summary>
public static class SteeringChecks
{
    public const int MaxStrengths = 64, MaxJobImages = 10_000;

    /// <summary>The first problem as (field, message), or null.</summary>
    public static (string Field, string Message)? First(params (bool Bad, string Field, string Message)[] checks) =>
        checks.FirstOrDefault(check => check.Bad) is { Bad: true } bad ? (bad.Field, bad.Message) : null;

    public static bool NotFinite(double x) => !double.IsFinite(x);

    /// <summary>Throws the first problem as an ArgumentException (a job whose parameters were never checked fails with it).</summary>
    public static void ThrowIfAny((string Field, string Message)? problem)
    {
        if (problem is { } p) throw new ArgumentException($"{p.Field}: {p.Message}");
    }
}

/// <summary>
/// Job "steering-sweep": latent <paramref name="Latent"/> set to each strength on every hooked row of the first
/// <paramref name="MaxImages"/> images of a corpus; ΔP_f, S_f (Eq. 4-5) and D_f (Eq. 10-11) per strength.
/// </summary>
public sealed record SteeringSweepParameters(string SaeId, int Latent, string CorpusId, string VocabularyId, double[] Strengths, int MaxImages = 32)
{
    public (string Field, string Message)? Problem() => SteeringChecks.First(
        (Strengths is null || Strengths.Length == 0 || Strengths.Length > SteeringChecks.MaxStrengths, "strengths", $"give 1..{SteeringChecks.MaxStrengths} strengths"),
        (Strengths?.Any(SteeringChecks.NotFinite) == true, "strengths", "every strength must be a finite number"),
        (MaxImages < 1 || MaxImages > SteeringChecks.MaxJobImages, "maxImages", $"maxImages must be 1..{SteeringChecks.MaxJobImages}"));
}

/// <summary>
/// Job "steerability": each of <paramref name="Sample"/> latents (all when null; a seeded sample otherwise, seed 001
/// Sec. 6.2.2 samples 12,000 of 49,152) set to <paramref name="Strength"/> on the first <paramref name="MaxImages"/>
/// images of a corpus; S, #S with γ and #C with β (Eq. 6-8). γ = 0.1 is the paper's; β = 0.5 is our default for "a
/// meaningful increase in concept probability" (S_f &gt; 1/2: the moved mass sits on about two concepts or fewer).
/// </summary>
public sealed record SteerabilityParameters(string SaeId, string CorpusId, string VocabularyId, double Strength, int? Sample = null,
    double Gamma = SteerabilityParameters.DefaultGamma, double Beta = SteerabilityParameters.DefaultBeta, ulong Seed = 0, int MaxImages = 8)
{
    public const double DefaultGamma = 0.1, DefaultBeta = 0.5;
    public const int MaxSteerabilityImages = 256;

    public (string Field, string Message)? Problem() => SteeringChecks.First(
        (SteeringChecks.NotFinite(Strength), "strength", "strength must be a finite number"),
        (Sample is < 1, "sample", "sample must be at least 1 latent (leave it out for all)"),
        (SteeringChecks.NotFinite(Gamma) || Gamma < 0, "gamma", "gamma must be a finite number ≥ 0"),
        (SteeringChecks.NotFinite(Beta) || Beta < 0, "beta", "beta must be a finite number ≥ 0"),
        (MaxImages < 1 || MaxImages > MaxSteerabilityImages, "maxImages", $"maxImages must be 1..{MaxSteerabilityImages}"));
}

/// <summary>
/// Job "suppression" (seed 001 Sec. 7.1): F by Eq. 9 from a corpus with the attribute and one without, expanded by
/// decoder cosine &gt; <paramref name="Lambda"/> when given (Sec. 7.2), zero-ablated while classifying
/// <paramref name="EvalCorpusId"/> zero-shot over the vocabulary; groups are the values of the
/// <paramref name="GroupBy"/> fields of each image joined by '/' (label × attribute, e.g. ["label", "background"]
/// on a world spurious split, which also carries the same as "group").
/// </summary>
public sealed record SuppressionParameters(string SaeId, string AttributeCorpusId, string ContrastCorpusId, double Tau, double? Lambda,
    string EvalCorpusId, string VocabularyId, string[] GroupBy, int MaxImages = 2_000)
{
    public (string Field, string Message)? Problem() => SteeringChecks.First(
        (SteeringChecks.NotFinite(Tau), "tau", "tau must be a finite number"),
        (Lambda is { } l && (SteeringChecks.NotFinite(l) || l < -1 || l > 1), "lambda", "lambda is a cosine: -1..1, or left out for no expansion"),
        (GroupBy is null || GroupBy.Length == 0 || GroupBy.Length > 4 || GroupBy.Any(string.IsNullOrWhiteSpace), "groupBy", "groupBy names 1..4 fields of the evaluation corpus (e.g. label, background)"),
        (MaxImages < 1 || MaxImages > SteeringChecks.MaxJobImages, "maxImages", $"maxImages must be 1..{SteeringChecks.MaxJobImages}"));
}

/// <summary>
/// Job "typographic-defence" (seed 001 Sec. 7.2): F by Eq. 9 with D_T the images carrying written words and D_T̄ the
/// same images without, expanded by decoder cosine &gt; λ, zero-ablated; evaluated on image pairs (same image id in
/// both corpora) of <paramref name="EvalWordsCorpusId"/> / <paramref name="EvalCleanCorpusId"/>, which default to
/// the selection corpora (then the figures are in-sample, as a tuning set's are).
/// </summary>
public sealed record TypographicDefenceParameters(string SaeId, string WordsCorpusId, string CleanCorpusId, double Tau, double? Lambda,
    string VocabularyId, string? EvalWordsCorpusId = null, string? EvalCleanCorpusId = null, int MaxImages = 2_000)
{
    public (string Field, string Message)? Problem() => SteeringChecks.First(
        (SteeringChecks.NotFinite(Tau), "tau", "tau must be a finite number"),
        (Lambda is { } l && (SteeringChecks.NotFinite(l) || l < -1 || l > 1), "lambda", "lambda is a cosine: -1..1, or left out for no expansion"),
        ((EvalWordsCorpusId is null) != (EvalCleanCorpusId is null), EvalWordsCorpusId is null ? "evalWordsCorpusId" : "evalCleanCorpusId", "give both evaluation corpora or neither"),
        (MaxImages < 1 || MaxImages > SteeringChecks.MaxJobImages, "maxImages", $"maxImages must be 1..{SteeringChecks.MaxJobImages}"));
}
