namespace Actors.Vision.Checkpoints;

/// <summary>
/// A checkpoint file is malformed or unsupported. The message always names the file and, where one is involved,
/// the tensor, so a user can tell which download is broken.
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    public string FilePath { get; }
    public string? TensorName { get; }

    public CheckpointFormatException(string filePath, string? tensorName, string problem, Exception? inner = null)
        : base(Compose(filePath, tensorName, problem), inner)
    {
        FilePath = filePath;
        TensorName = tensorName;
    }

    private static string Compose(string file, string? tensor, string problem) =>
        tensor is null ? $"{file}: {problem}" : $"{file}: tensor '{tensor}': {problem}";
}
