using Actors.Sae.Architectures;
using Actors.Sae.Formats;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Loads SAEs once per process and keeps them for ingestion and queries: a SAELens folder, or a PyTorch .pt state
/// dict of a named release project (ViT-Prisma, PatchSAE, attributing-clip) with its k.
/// </summary>
public sealed class SaeCatalog
{
    public static readonly string[] Releases = ["vit-prisma", "patchsae", "attributing-clip"];
    readonly LoadOnce<SparseAutoencoder> saes = new();

    public SparseAutoencoder Load(string path, string? release = null, int? k = null)
    {
        string full = ArtifactLoadException.Wrap(path, () => Path.GetFullPath(path));
        return saes.Get($"{full}|{release}|{k}", () => ArtifactLoadException.Wrap(full, () => Read(full, release, k)));
    }

    static SparseAutoencoder Read(string path, string? release, int? k)
    {
        if (Directory.Exists(path)) return SaeLensFolder.Read(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"no SAELens folder or .pt file at {path}");
        var project = release switch
        {
            "vit-prisma" => SaeReleaseProject.VitPrisma,
            "patchsae" => SaeReleaseProject.PatchSae,
            "attributing-clip" => SaeReleaseProject.AttributingClip,
            _ => throw new ArgumentException($"a .pt SAE needs its release project: one of {string.Join(", ", Releases)}"),
        };
        return TorchSaeStateDict.Read(path, project, k);
    }
}
