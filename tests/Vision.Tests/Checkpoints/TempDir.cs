namespace Actors.Vision.Tests.Checkpoints;

/// <summary>A scratch folder deleted when the test ends.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "actors-ckpt-" + Guid.NewGuid().ToString("N"));
    public TempDir() => Directory.CreateDirectory(Path);
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
}

/// <summary>Locates committed fixtures relative to the repository root (the folder holding Actors.sln).</summary>
internal static class RepoPaths
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Actors.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Repository root (Actors.sln) not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Fixture(params string[] parts) =>
        System.IO.Path.Combine([Root, "tests", "Vision.Tests", "Fixtures", .. parts]);
}
