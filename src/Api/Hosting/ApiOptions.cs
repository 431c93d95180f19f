namespace Actors.Api.Hosting;

/// <summary>Settings of the API process (section "Api").</summary>
public sealed class ApiOptions
{
    /// <summary>Largest accepted JSON/text request body; larger bodies get 413 with problem details.</summary>
    public long MaxRequestBytes { get; set; } = 1 << 20;
    /// <summary>Largest accepted weights upload.</summary>
    public long MaxUploadBytes { get; set; } = 4L << 30;
    /// <summary>Where uploaded weights are kept ({DataFolder}/uploads by default).</summary>
    public string? UploadFolder { get; set; }
    /// <summary>Run request handling on the socket threads instead of handing every request to the thread pool
    /// (Kestrel's UnsafePreferInlineScheduling). Fewer thread switches per request; safe here because no handler
    /// blocks a thread (grain calls and storage are awaited), and a blocking handler would stall its socket thread.</summary>
    public bool InlineScheduling { get; set; } = true;
    /// <summary>Largest page of a latent listing.</summary>
    public int MaxPageSize { get; set; } = 500;
}
