namespace Actors.GpuHost.Ingestion;

/// <summary>
/// A model, SAE or corpus given by a user could not be loaded; the message names the path and the problem (the path
/// is not repeated when the problem already names it, as most loaders' messages do).
/// </summary>
public sealed class ArtifactLoadException(string path, string problem, Exception? inner = null)
    : Exception(problem.Contains(path, StringComparison.Ordinal) ? problem : $"{path}: {problem}", inner)
{
    public string ArtifactPath { get; } = path;

    /// <summary>Runs a load, turning any failure except running out of memory into an <see cref="ArtifactLoadException"/>.</summary>
    public static T Wrap<T>(string path, Func<T> load)
    {
        try { return load(); }
        catch (Exception e) when (e is not (OutOfMemoryException or ArtifactLoadException))
        {
            throw new ArtifactLoadException(path, e.Message, e);
        }
    }
}
