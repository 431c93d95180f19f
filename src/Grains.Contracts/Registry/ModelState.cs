using Orleans;

namespace Actors.Grains.Registry;

[GenerateSerializer, Alias("actors.ModelState")]
public sealed class ModelState
{
    [Id(0)] public ModelRecord? Record { get; set; }
}
