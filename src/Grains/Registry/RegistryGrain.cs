using Orleans;
using Orleans.Runtime;

namespace Actors.Grains.Registry;

[GrainType("registry")]
public sealed class RegistryGrain([PersistentState("registry")] IPersistentState<RegistryState> state) : Grain, IRegistryGrain
{
    public async Task<bool> AddAsync(RegistryKind kind, string id)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException($"a {kind} id must not be empty");
        if (!state.State.Entries.TryGetValue(kind, out var ids)) state.State.Entries[kind] = ids = [];
        int at = ids.BinarySearch(id, StringComparer.Ordinal);
        if (at >= 0) return false;
        ids.Insert(~at, id);
        await this.WriteOrDeactivateAsync(state);
        return true;
    }

    public async Task<bool> RemoveAsync(RegistryKind kind, string id)
    {
        if (!state.State.Entries.TryGetValue(kind, out var ids) || !ids.Remove(id)) return false;
        await this.WriteOrDeactivateAsync(state);
        return true;
    }

    public Task<string[]> ListAsync(RegistryKind kind) =>
        Task.FromResult(state.State.Entries.TryGetValue(kind, out var ids) ? ids.ToArray() : []);
}
