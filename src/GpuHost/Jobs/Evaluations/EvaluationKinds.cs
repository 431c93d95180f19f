namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>The job kinds of the evaluations (POST /api/saes/{saeId}/evaluations/{kind}).</summary>
public static class EvaluationKinds
{
    public const string Faithfulness = "faithfulness", FailureDetection = "failure-detection", Probing = "probing",
        Masking = "masking", SharedSae = "shared-sae";

    public static readonly IReadOnlyList<string> All = [Faithfulness, FailureDetection, Probing, Masking, SharedSae];
}
