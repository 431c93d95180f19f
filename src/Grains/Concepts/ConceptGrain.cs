using Orleans;
using Orleans.Runtime;
using Actors.Grains.Sketches;

namespace Actors.Grains.Concepts;

/// <summary>Concept grain; one class-activation merge per delivery per concept, so it writes through.</summary>
[GrainType("concept")]
public sealed class ConceptGrain([PersistentState("concept")] IPersistentState<ConceptState> state) : Grain, IConceptGrain
{
    public async Task RegisterAsync(string text, float[] embedding)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException($"concept '{this.GetPrimaryKeyString()}': text must not be empty");
        if (embedding.Any(v => !float.IsFinite(v))) throw new ArgumentException($"concept '{this.GetPrimaryKeyString()}': embedding has non-finite values");
        state.State.Text = text;
        state.State.Embedding = embedding;
        await this.WriteOrDeactivateAsync(state);
    }

    public async Task SetAlignedLatentsAsync(AlignedLatent[] latents)
    {
        state.State.AlignedLatents = [.. latents.OrderByDescending(l => l.Score)];
        await this.WriteOrDeactivateAsync(state);
    }

    public async Task<bool> MergeClassActivationsAsync(string saeId, string corpusId, long batchId, int batchCount, ClassActivations activations)
    {
        var s = state.State;
        if (!s.Ledger.TryAddRange($"{saeId}|{corpusId}", batchId, batchCount)) return false;
        if (!s.ClassActivations.TryGetValue(saeId, out var acc)) s.ClassActivations[saeId] = acc = new ClassActivations();
        acc.MergeFrom(activations);
        await this.WriteOrDeactivateAsync(state);
        return true;
    }

    public Task<ConceptView> GetAsync()
    {
        string key = this.GetPrimaryKeyString();
        int slash = key.IndexOf('/');
        string vocabulary = slash < 0 ? "" : key[..slash], concept = key[(slash + 1)..];
        var s = state.State;
        return Task.FromResult(new ConceptView(vocabulary, concept, s.Text, s.Embedding, [.. s.AlignedLatents],
            s.ClassActivations.ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal)));
    }
}
