namespace Actors.Vision.Clip;

/// <summary>A checkpoint that does not fit the CLIP layout it claims: names the file, the tensor and the shapes.</summary>
public sealed class ClipCheckpointException(string source, string? tensorName, string problem)
    : Exception($"{source}: {(tensorName is null ? "" : $"tensor '{tensorName}': ")}{problem}")
{
    public string FilePath { get; } = source;
    public string? TensorName { get; } = tensorName;
}
