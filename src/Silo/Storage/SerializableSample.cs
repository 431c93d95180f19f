using System.Reflection;
using Orleans;

namespace Actors.Silo.Storage;

/// <summary>
/// A value of a serializable type with something in every field its codec writes: each <c>[Id]</c> member of a
/// <c>[GenerateSerializer]</c> type gets a sample of its own type, each collection one element, down to
/// <see cref="MaxDepth"/>. What <see cref="StateCodecWarmUp"/> round-trips, so that the codecs of the members (reached
/// only when a member is set) are compiled too. A type serialized through a surrogate converter carries no
/// <c>[GenerateSerializer]</c> and is left as its constructor makes it, since its converter may rely on invariants
/// that arbitrary member values would break. A member whose sample cannot be made is left as it was.
/// </summary>
public static class SerializableSample
{
    const int MaxDepth = 5;
    const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    public static object? Of(Type type) => Of(type, 0);

    static object? Of(Type type, int depth)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Of(underlying, depth);
        if (type == typeof(string)) return "sample";
        if (type == typeof(bool)) return true;
        if (type.IsEnum) return Enum.GetValues(type).GetValue(0);
        if (type.IsPrimitive || type == typeof(decimal)) return Convert.ChangeType(1, type);
        if (type == typeof(DateTimeOffset)) return DateTimeOffset.UnixEpoch;
        if (type == typeof(DateTime)) return DateTime.UnixEpoch;
        if (type == typeof(TimeSpan)) return TimeSpan.FromSeconds(1);
        if (type == typeof(Guid)) return Guid.Empty;
        if (depth >= MaxDepth) return Default(type);
        if (type.IsArray) return ArrayOf(type.GetElementType()!, depth);
        if (Collection(type, depth) is { } collection) return collection;
        if (type.IsAbstract || type.IsInterface || type == typeof(object)) return null;
        return type.GetCustomAttribute<GenerateSerializerAttribute>() is null ? New(type) : Populated(type, depth);
    }

    static Array ArrayOf(Type element, int depth)
    {
        var item = Of(element, depth + 1);
        var array = Array.CreateInstance(element, item is null ? 0 : 1);
        if (item is not null) array.SetValue(item, 0);
        return array;
    }

    /// <summary>Lists, sets and dictionaries (and the interfaces that name them) with one element; null for other types.</summary>
    static object? Collection(Type type, int depth)
    {
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        var args = type.GetGenericArguments();
        if (args.Length == 2 && (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)))
        {
            var map = (System.Collections.IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(args))!;
            if (Of(args[0], depth + 1) is { } key) map[key] = Of(args[1], depth + 1);
            return map;
        }
        Type? concrete = definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>)
            || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>)
            ? typeof(List<>) : definition == typeof(HashSet<>) || definition == typeof(ISet<>) ? typeof(HashSet<>) : null;
        if (concrete is null) return null;
        var collection = Activator.CreateInstance(concrete.MakeGenericType(args))!;
        if (Of(args[0], depth + 1) is { } element) collection.GetType().GetMethod("Add")!.Invoke(collection, [element]);
        return collection;
    }

    static object? New(Type type) => type.IsValueType || type.GetConstructor(Type.EmptyTypes) is not null ? Activator.CreateInstance(type) : null;

    /// <summary>A [GenerateSerializer] type: made by its parameterless constructor or else its widest one (records), then
    /// each settable [Id] member that no constructor argument filled is given a sample.</summary>
    static object? Populated(Type type, int depth)
    {
        object? value;
        var filled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);   // members named by a constructor argument
        try
        {
            value = New(type);
            if (value is null)
            {
                var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
                if (constructor is null) return null;
                var parameters = constructor.GetParameters();
                value = constructor.Invoke([.. parameters.Select(p => Of(p.ParameterType, depth + 1) ?? Default(p.ParameterType))]);
                filled.UnionWith(parameters.Select(p => p.Name!));
            }
        }
        catch (TargetInvocationException) { return null; }   // a constructor refused the sample arguments
        // A member the constructor did not fill gets a new sample even when it has a value: that value may be a shared
        // default (a static "None" record) that must not be changed, or an empty collection.
        foreach (var member in type.GetMembers(Members).Where(m => m.GetCustomAttribute<IdAttribute>() is not null && !filled.Contains(m.Name)))
        {
            try
            {
                switch (member)
                {
                    case FieldInfo { IsInitOnly: false } field when Of(field.FieldType, depth + 1) is { } sample:
                        field.SetValue(value, sample);
                        break;
                    case PropertyInfo { CanWrite: true } property when Of(property.PropertyType, depth + 1) is { } sample:
                        property.SetValue(value, sample);
                        break;
                }
            }
            catch (Exception e) when (e is TargetInvocationException or ArgumentException) { }   // left as it was
        }
        return value;
    }

    static object? Default(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;
}
