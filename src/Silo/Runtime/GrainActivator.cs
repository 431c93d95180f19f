using System.Reflection;
using Actors.Grains.Runtime;
using Actors.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Silo.Runtime;

/// <summary>
/// Constructs a grain class: parameters marked [PersistentState("name")] get an IPersistentState&lt;T&gt; bound to
/// the silo's storage under (grain type, key, name); IGrainFactory gets the silo; anything else comes from DI.
/// </summary>
internal static class GrainActivator
{
    public static (Grain Grain, IReadOnlyList<IStateBinding> States) Create(
        GrainRegistration registration, GrainId id, SiloRuntime runtime)
    {
        var type = registration.Implementation;
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"grain class {type.Name} has no public constructor");
        var states = new List<IStateBinding>();
        var args = constructor.GetParameters().Select(p => Resolve(p, id, runtime, states)).ToArray();
        var grain = (Grain)constructor.Invoke(BindingFlags.DoNotWrapExceptions, null, args, null);
        return (grain, states);
    }

    static object? Resolve(ParameterInfo p, GrainId id, SiloRuntime runtime, List<IStateBinding> states)
    {
        var attribute = p.GetCustomAttribute<PersistentStateAttribute>();
        if (attribute is not null)
        {
            var t = p.ParameterType;
            if (!t.IsGenericType || t.GetGenericTypeDefinition() != typeof(IPersistentState<>))
                throw new InvalidOperationException(
                    $"grain {id.GrainType} parameter '{p.Name}' has [PersistentState] but type {t.Name}, expected IPersistentState<T>");
            var stateType = typeof(PersistentState<>).MakeGenericType(t.GetGenericArguments()[0]);
            var state = (IStateBinding)Activator.CreateInstance(stateType, runtime.Storage, id.GrainType, id.Key, attribute.StateName)!;
            states.Add(state);
            return state;
        }
        if (p.ParameterType == typeof(IGrainFactory)) return runtime;
        var service = runtime.Services.GetService(p.ParameterType);
        if (service is not null) return service;
        if (p.HasDefaultValue) return p.DefaultValue;
        throw new InvalidOperationException(
            $"grain {id.GrainType} constructor parameter '{p.Name}' of type {p.ParameterType.Name}: no such service is registered");
    }
}
