using Orleans;
using Orleans.Runtime;

namespace Actors.Grains.Concepts;

[GrainType("vocabulary")]
public sealed class VocabularyGrain([PersistentState("vocabulary")] IPersistentState<VocabularyState> state) : Grain, IVocabularyGrain
{
    public async Task RegisterAsync(string modelId, string[] concepts)
    {
        state.State.ModelId = modelId;
        state.State.Concepts = concepts;
        state.State.Registrations++;
        await this.WriteOrDeactivateAsync(state);
    }

    public Task<VocabularyRecord?> GetAsync() => Task.FromResult(state.State.ModelId is { } model
        ? new VocabularyRecord(this.GetPrimaryKeyString(), model, state.State.Concepts, state.State.Registrations) : null);
}
