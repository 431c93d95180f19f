using System.Reflection;
using Actors.Grains.Runtime;

namespace Actors.Silo.Runtime;

/// <summary>
/// Which grain class implements a grain interface, and the stable type name its state is stored under.
/// Two interfaces implemented by one class share the grain type, hence the activation for a key.
/// </summary>
public sealed record GrainRegistration(Type Interface, Type Implementation, string GrainType)
{
    internal static GrainRegistration Create(Type grainInterface, Type implementation, string? grainType)
    {
        if (!grainInterface.IsInterface || !typeof(IGrainWithStringKey).IsAssignableFrom(grainInterface))
            throw new ArgumentException($"{grainInterface.Name} must be an interface deriving from IGrainWithStringKey");
        if (implementation.IsAbstract || !typeof(Grain).IsAssignableFrom(implementation)
            || !grainInterface.IsAssignableFrom(implementation))
            throw new ArgumentException(
                $"{implementation.Name} must be a concrete Grain subclass implementing {grainInterface.Name}");
        foreach (var method in AllMethods(grainInterface))
            if (!GrainMethod.IsAsyncReturn(method.ReturnType))
                throw new ArgumentException(
                    $"grain method {grainInterface.Name}.{method.Name} returns {method.ReturnType.Name}; " +
                    "every grain method must return Task, Task<T>, ValueTask or ValueTask<T>");
        return new GrainRegistration(grainInterface, implementation, grainType ?? implementation.Name);
    }

    /// <summary>
    /// The interface's own instance methods and those of the interfaces it extends. Static members (helpers
    /// such as a key builder) are not called through a grain reference, so they are not grain methods.
    /// </summary>
    internal static IEnumerable<MethodInfo> AllMethods(Type grainInterface)
    {
        const BindingFlags instance = BindingFlags.Public | BindingFlags.Instance;
        return grainInterface.GetMethods(instance).Concat(grainInterface.GetInterfaces().SelectMany(i => i.GetMethods(instance)));
    }
}

/// <summary>Identity of a virtual actor: grain type plus key. At most one activation per id in a silo.</summary>
public readonly record struct GrainId(string GrainType, string Key)
{
    public override string ToString() => $"{GrainType}/{Key}";
}
