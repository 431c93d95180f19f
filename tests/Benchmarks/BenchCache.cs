using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.World;

namespace Actors.Benchmarks;

/// <summary>Generated inputs that take a while to write, kept under /tmp/actors-cache between runs.</summary>
public static class BenchCache
{
    public static readonly string Root = Path.Combine(Path.GetTempPath(), "actors-cache");

    /// <summary>A random top-k SAE (seed 1) as a SAELens folder, named by <paramref name="name"/>.</summary>
    public static string TopKSae(string name, int dModel, int dSae, int k)
    {
        string dir = Path.Combine(Root, name);
        if (!File.Exists(Path.Combine(dir, "cfg.json")))
            SaeLensFolder.Write(dir, SparseAutoencoder.CreateRandom(new TopKSaeConfig(dModel, dSae, k), 1));
        return dir;
    }

    /// <summary>The manifest of <paramref name="images"/> scenes of the world's test split (64 px); another seed draws other scenes.</summary>
    public static string WorldTest(int images, ulong seed = 7)
    {
        string dir = Path.Combine(Root, seed == 7 ? $"world-test-{images}" : $"world-test-{images}-seed{seed}");
        string manifest = Path.Combine(dir, WorldManifest.FileName(WorldSplit.Test));
        return File.Exists(manifest) ? manifest : WorldWriter.Write(dir, WorldSplit.Test, images, seed);
    }
}
