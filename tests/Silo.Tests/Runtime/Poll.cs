namespace Actors.Silo.Tests.Runtime;

/// <summary>Waits for a condition the silo reaches asynchronously (collection, deactivation, a queued turn).</summary>
static class Poll
{
    /// <summary>Checks <paramref name="condition"/> every <paramref name="everyMs"/> ms until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, int everyMs = 10)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(everyMs);
    }
}
