using Orleans;
using Orleans.Runtime;

namespace Actors.Grains.Evaluations;

/// <summary>Stores a class's latest failure-detection run before answering (mutate the state, then write it).</summary>
[GrainType("failure-modes")]
public sealed class FailureModesGrain([PersistentState("failure-modes")] IPersistentState<FailureModesState> state) : Grain, IFailureModesGrain
{
    public async Task<ClassFailureModes?> SetAsync(ClassFailureModes run)
    {
        var previous = state.State.Latest;
        state.State.Latest = run;
        await this.WriteOrDeactivateAsync(state);
        return previous;
    }

    public Task<ClassFailureModes?> GetAsync() => Task.FromResult(state.State.Latest);
}
