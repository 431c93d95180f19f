using Orleans;
using Orleans.Runtime;

namespace Actors.Grains.Registry;

[GrainType("model")]
public sealed class ModelGrain([PersistentState("model")] IPersistentState<ModelState> state) : Grain, IModelGrain
{
    public async Task RegisterAsync(ModelRecord record)
    {
        state.State.Record = record;
        await this.WriteOrDeactivateAsync(state);
    }

    public Task<ModelRecord?> GetAsync() => Task.FromResult(state.State.Record);
}
