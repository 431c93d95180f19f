using Orleans;

namespace Actors.Grains.Hosts;

/// <summary>
/// A model, SAE or tokenizer named by a caller cannot be used: the message names the file or folder and the problem.
/// <see cref="Field"/> is the argument at fault ("path", "release", "modelPath", "activation"). It crosses Orleans as itself, so a
/// client can answer its own caller with a 4xx instead of a server error.
/// </summary>
[GenerateSerializer, Alias("actors.InvalidArtifactException")]
public sealed class InvalidArtifactException(string field, string message) : Exception(message)
{
    [Id(0)] public string Field { get; private set; } = field;
}
