using Actors.Vision.Clip;

namespace Actors.GpuHost.Tests.Ingestion;

/// <summary>A random "tiny" CLIP written to a folder of its own, deleted with this object.</summary>
public sealed class TinyClipFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tiny-clip-{Guid.NewGuid():N}");

    public TinyClipFolder(int seed) => RandomClipModel.Write(Path, RandomClipModel.Preset("tiny"), seed);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
