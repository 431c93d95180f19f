using Orleans;
using Orleans.Runtime;

namespace Actors.Grains;

internal static class StateWrites
{
    /// <summary>
    /// Stores a grain's state after a change; if storing fails, the activation is dropped before the error reaches
    /// the caller. Otherwise it would go on answering from a change storage does not hold: a retried delivery would
    /// be skipped as merged, and its batches lost. The next call reads the state from storage again.
    /// </summary>
    public static async Task WriteOrDeactivateAsync<T>(this IGrainBase grain, IPersistentState<T> state)
    {
        try { await state.WriteStateAsync(); }
        catch (Exception e)
        {
            grain.GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, e, "its state could not be stored"));
            throw;
        }
    }
}
