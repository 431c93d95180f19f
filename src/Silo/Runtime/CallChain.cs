namespace Actors.Silo.Runtime;

/// <summary>
/// The grains whose turns are waiting, directly or transitively, on the current call. A turn is never
/// reentrant, so a call to a grain already in the chain (a grain awaiting itself, or A → B → A) would
/// wait forever on its own turn; the runtime fails such a call at once instead of deadlocking.
/// </summary>
internal sealed class CallChain
{
    static readonly AsyncLocal<CallChain?> current = new();

    public GrainId Grain { get; }
    public CallChain? Caller { get; }

    CallChain(GrainId grain, CallChain? caller) { Grain = grain; Caller = caller; }

    /// <summary>The chain of the code running now; null outside any grain turn.</summary>
    public static CallChain? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    public static CallChain Push(CallChain? caller, GrainId grain) => new(grain, caller);

    public static bool Contains(CallChain? chain, GrainId grain)
    {
        for (var c = chain; c is not null; c = c.Caller)
            if (c.Grain == grain) return true;
        return false;
    }
}
