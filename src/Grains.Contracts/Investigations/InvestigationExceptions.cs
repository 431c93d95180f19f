using Orleans;

namespace Actors.Grains.Investigations;

/// <summary>A change was based on a version that is no longer current (HTTP 412): re-read, re-apply, retry.</summary>
[GenerateSerializer, Alias("actors.StaleVersionException")]
public sealed class StaleVersionException(string message, long current) : Exception(message)
{
    [Id(0)] public long Current { get; private set; } = current;
}
