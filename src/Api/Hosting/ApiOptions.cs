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
    /// <summary>Largest page of a latent listing.</summary>
    public int MaxPageSize { get; set; } = 500;
}
