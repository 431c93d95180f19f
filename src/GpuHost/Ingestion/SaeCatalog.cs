using System.Collections.Concurrent;
using Actors.GpuHost.Sae.Architectures;
using Actors.GpuHost.Sae.Formats;

namespace Actors.GpuHost.Ingestion;

/// <summary>Loads SAEs by path (SAELens folder) once per process and keeps them for ingestion and queries.</summary>
public sealed class SaeCatalog
{
    readonly ConcurrentDictionary<string, Lazy<SparseAutoencoder>> saes = new(StringComparer.Ordinal);

    public SparseAutoencoder Load(string path)
    {
        string full = Path.GetFullPath(path);
        var lazy = saes.GetOrAdd(full, p => new Lazy<SparseAutoencoder>(() => ArtifactLoadException.Wrap(p, () => Read(p))));
        try { return lazy.Value; }
        catch { saes.TryRemove(full, out _); throw; }
    }

    static SparseAutoencoder Read(string path) =>
        Directory.Exists(path) ? SaeLensFolder.Read(path)
            : throw new FileNotFoundException($"expected a SAELens folder (cfg.json + sae_weights.safetensors) at {path}");
}
