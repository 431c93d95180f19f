using Orleans;

namespace Actors.Grains.Hosts;

/// <summary>
/// A host refused a caller's input (an image that does not decode, an image id the corpus does not list, a method the
/// SAE's hook does not support): <see cref="Field"/> names the request field at fault, <see cref="NotFound"/> says
/// whether it names something that does not exist (404) rather than something malformed (400). It crosses Orleans as
/// itself, so the API answers its caller with problem details instead of a server error.
/// </summary>
[GenerateSerializer, Alias("actors.RejectedRequestException")]
public sealed class RejectedRequestException(string field, string message, bool notFound = false) : Exception(message)
{
    [Id(0)] public string Field { get; private set; } = field;
    [Id(1)] public bool NotFound { get; private set; } = notFound;
}
