using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Actors.Silo.Tests.Storage;

/// <summary>Orleans's serializer with this assembly's and the grain contracts' generated codecs, as a silo has it.</summary>
public static class TestSerializer
{
    public static readonly Serializer Instance =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
}
