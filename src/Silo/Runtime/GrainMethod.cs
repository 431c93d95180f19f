using System.Collections.Concurrent;
using System.Reflection;
using Actors.Grains.Runtime;

namespace Actors.Silo.Runtime;

/// <summary>
/// Turns a call on a grain interface method into a queued turn, adapting the four async return shapes
/// (Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;) to one Task&lt;T&gt;-based path. One compiled dispatcher per method.
/// </summary>
internal static class GrainMethod
{
    delegate object Dispatcher(SiloRuntime runtime, GrainId id, MethodInfo method, object?[] args, bool inlineWhenIdle);

    /// <summary>A method's dispatcher and whether it is marked <see cref="InlineWhenIdleAttribute"/>, both decided once.</summary>
    static readonly ConcurrentDictionary<MethodInfo, (Dispatcher Dispatch, bool InlineWhenIdle)> dispatchers = new();

    public static bool IsAsyncReturn(Type t) =>
        t == typeof(Task) || t == typeof(ValueTask) || (t.IsGenericType &&
            (t.GetGenericTypeDefinition() == typeof(Task<>) || t.GetGenericTypeDefinition() == typeof(ValueTask<>)));

    public static object Dispatch(SiloRuntime runtime, GrainId id, MethodInfo method, object?[] args)
    {
        var (dispatch, inlineWhenIdle) = dispatchers.GetOrAdd(method, m => (Build(m), m.IsDefined(typeof(InlineWhenIdleAttribute), inherit: false)));
        return dispatch(runtime, id, method, args, inlineWhenIdle);
    }

    static Dispatcher Build(MethodInfo method)
    {
        var r = method.ReturnType;
        if (r == typeof(Task)) return DispatchTask;
        if (r == typeof(ValueTask)) return DispatchValueTask;
        string name = r.GetGenericTypeDefinition() == typeof(Task<>) ? nameof(DispatchTaskOf) : nameof(DispatchValueTaskOf);
        var generic = typeof(GrainMethod).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(r.GetGenericArguments()[0]);
        return generic.CreateDelegate<Dispatcher>();
    }

    // DoNotWrapExceptions: a grain method that throws before its first await surfaces its own exception.
    static object? Call(Grain grain, MethodInfo method, object?[] args) =>
        method.Invoke(grain, BindingFlags.DoNotWrapExceptions, null, args, null);

    static object DispatchTask(SiloRuntime runtime, GrainId id, MethodInfo method, object?[] args, bool inlineWhenIdle) =>
        runtime.InvokeAsync<object?>(id, async grain => { await (Task)Call(grain, method, args)!; return null; }, inlineWhenIdle);

    static object DispatchValueTask(SiloRuntime runtime, GrainId id, MethodInfo method, object?[] args, bool inlineWhenIdle) =>
        new ValueTask(runtime.InvokeAsync<object?>(id,
            async grain => { await (ValueTask)Call(grain, method, args)!; return null; }, inlineWhenIdle));

    static object DispatchTaskOf<T>(SiloRuntime runtime, GrainId id, MethodInfo method, object?[] args, bool inlineWhenIdle) =>
        runtime.InvokeAsync(id, grain => (Task<T>)Call(grain, method, args)!, inlineWhenIdle);

    static object DispatchValueTaskOf<T>(SiloRuntime runtime, GrainId id, MethodInfo method, object?[] args, bool inlineWhenIdle) =>
        new ValueTask<T>(runtime.InvokeAsync(id, grain => ((ValueTask<T>)Call(grain, method, args)!).AsTask(), inlineWhenIdle));
}

/// <summary>
/// A grain reference: every interface call becomes a turn queued to the grain's activation. Arguments are
/// passed by reference (one process, no serialisation), so message types must be immutable records.
/// </summary>
public class GrainProxy : DispatchProxy
{
    SiloRuntime? runtime;
    GrainId id;

    public GrainId GrainId => id;

    internal static TGrain Create<TGrain>(SiloRuntime runtime, GrainId id)
    {
        object proxy = DispatchProxy.Create<TGrain, GrainProxy>()!;
        var p = (GrainProxy)proxy;
        p.runtime = runtime;
        p.id = id;
        return (TGrain)proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        GrainMethod.Dispatch(runtime!, id, targetMethod!, args ?? []);

    public override string ToString() => $"GrainReference({id})";
}
