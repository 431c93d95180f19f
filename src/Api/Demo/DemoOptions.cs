namespace Actors.Api.Demo;

/// <summary>
/// The embedded default's start-up job (section "Demo"): register the shipped world model and SAE, generate a
/// world corpus, ingest it, and print where to look. Paths are relative to the working directory.
/// </summary>
public sealed class DemoOptions
{
    public bool Enabled { get; set; } = true;
    public string ModelPath { get; set; } = "models/world-clip";
    public string SaePath { get; set; } = "models/world-sae";
    /// <summary>World scenes generated for the demo corpus (held-out test split).</summary>
    public int Images { get; set; } = 1000;
    public ulong Seed { get; set; } = 2026;
}
