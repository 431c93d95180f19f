using System.Text.Json;
using Actors.Grains.Jobs;

namespace Actors.GpuHost.Jobs;

/// <summary>What a handler gets: the job, its parameters, and where to report progress (sent with each heartbeat).</summary>
public sealed class JobContext(string jobId, JobSpec spec, int attempt)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    volatile JobProgress progress = JobProgress.None;

    public string JobId { get; } = jobId;
    public JobSpec Spec { get; } = spec;
    /// <summary>1 on the first run; more when the job is resumed after a host stopped.</summary>
    public int Attempt { get; } = attempt;
    public JobProgress Progress => progress;

    public void Report(long done, long total, string? stage = null, IReadOnlyDictionary<string, double>? metrics = null) =>
        progress = new JobProgress(done, total, stage, metrics ?? new Dictionary<string, double>());

    /// <summary>The parameters as the kind's record; a malformed document is named with the job.</summary>
    public T Parameters<T>() => JsonSerializer.Deserialize<T>(Spec.Parameters, Json)
        ?? throw new ArgumentException($"job '{JobId}' ({Spec.Kind}): parameters are empty");

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);
}
