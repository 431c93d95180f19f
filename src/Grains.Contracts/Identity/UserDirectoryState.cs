using Orleans;

namespace Actors.Grains.Identity;

[GenerateSerializer, Alias("actors.UserDirectoryState")]
public sealed class UserDirectoryState
{
    [Id(0)] public Dictionary<string, UserRecord> Users { get; init; } = [];
    [Id(1)] public Dictionary<string, ApiKeyRecord> Keys { get; init; } = [];
}
