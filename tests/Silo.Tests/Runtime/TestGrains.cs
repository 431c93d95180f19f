using System.Collections.Concurrent;
using System.Collections.Immutable;
using Actors.Grains.Runtime;

namespace Actors.Silo.Tests.Runtime;

/// <summary>Records lifecycle events across activations (a DI singleton, so tests see it from outside).</summary>
public sealed class LifecycleLog
{
    public ConcurrentQueue<string> Events { get; } = new();
}

public interface ICounterGrain : IGrainWithStringKey
{
    Task IncrementAsync();
    Task<(int Count, int Overlaps, int Ticks)> GetAsync();
    Task AppendAsync(int value);
    Task<IReadOnlyList<int>> GetOrderAsync();
    Task<Guid> GetActivationIdAsync();
    ValueTask<int> GetCountAsValueTaskAsync();
    ValueTask IncrementAsValueTaskAsync();
    Task FailAfterAwaitAsync(string message);
    Task FailBeforeAwaitAsync(string message);
    Task<int> CallSelfAsync();
    Task<int> CallThroughAsync(string otherKey);
    Task<int> CallBackAsync(string originKey);
    Task StartTimerAsync(TimeSpan period);
    Task DeactivateWhenIdleAsync();
    Task WaitForSignalAsync(TaskCompletionSource signal);
    [InlineWhenIdle] Task<int> ThreadInlineAsync();
    Task<int> ThreadQueuedAsync();
    [InlineWhenIdle] Task IncrementInlineAsync();
    [InlineWhenIdle] Task<int> CallSelfInlineAsync();
    [InlineWhenIdle] Task<Guid> GetActivationIdInlineAsync();
}

/// <summary>A counter written without any synchronisation, with awaits in the middle of each update.</summary>
public sealed class CounterGrain(LifecycleLog log) : Grain, ICounterGrain
{
    readonly Guid activationId = Guid.NewGuid();
    readonly List<int> order = [];
    int count, overlaps, ticks;
    bool inside;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (GrainKey.StartsWith("bad")) throw new InvalidOperationException($"activation of {GrainKey} refused");
        log.Events.Enqueue($"activate {GrainKey}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(CancellationToken cancellationToken)
    {
        log.Events.Enqueue($"deactivate {GrainKey}");
        return Task.CompletedTask;
    }

    async Task EnterAsync(Func<Task> body)
    {
        if (inside) overlaps++;
        inside = true;
        try { await body(); }
        finally { inside = false; }
    }

    public Task IncrementAsync() => EnterAsync(async () =>
    {
        int read = count;
        await Task.Yield();
        await Task.Delay(0);
        count = read + 1;
    });

    public Task<(int, int, int)> GetAsync() => Task.FromResult((count, overlaps, ticks));
    public Task AppendAsync(int value) => EnterAsync(async () => { await Task.Yield(); order.Add(value); });
    public Task<IReadOnlyList<int>> GetOrderAsync() => Task.FromResult<IReadOnlyList<int>>(order.ToArray());
    public Task<Guid> GetActivationIdAsync() => Task.FromResult(activationId);
    public ValueTask<int> GetCountAsValueTaskAsync() => ValueTask.FromResult(count);
    public async ValueTask IncrementAsValueTaskAsync() { await Task.Yield(); count++; }

    public async Task FailAfterAwaitAsync(string message) { await Task.Yield(); throw new InvalidOperationException(message); }
    public Task FailBeforeAwaitAsync(string message) => throw new ArgumentException(message);

    public Task<int> CallSelfAsync() => GrainFactory.GetGrain<ICounterGrain>(GrainKey).GetCountAsValueTaskAsync().AsTask();
    public Task<int> CallThroughAsync(string otherKey) => GrainFactory.GetGrain<ICounterGrain>(otherKey).CallBackAsync(GrainKey);
    public Task<int> CallBackAsync(string originKey) =>
        GrainFactory.GetGrain<ICounterGrain>(originKey).GetCountAsValueTaskAsync().AsTask();

    public Task StartTimerAsync(TimeSpan period)
    {
        Context.RegisterTimer(_ => EnterAsync(async () => { int t = ticks; await Task.Yield(); ticks = t + 1; }), period, period);
        return Task.CompletedTask;
    }

    public Task DeactivateWhenIdleAsync() { DeactivateOnIdle(); return Task.CompletedTask; }
    public Task WaitForSignalAsync(TaskCompletionSource signal) => signal.Task;

    public async Task<int> ThreadInlineAsync() { int id = 0; await EnterAsync(() => { id = Environment.CurrentManagedThreadId; return Task.CompletedTask; }); return id; }
    public Task<int> ThreadQueuedAsync() => ThreadInlineAsync();
    public Task IncrementInlineAsync() => IncrementAsync();
    public Task<int> CallSelfInlineAsync() => GrainFactory.GetGrain<ICounterGrain>(GrainKey).CallSelfInlineAsync();
    public Task<Guid> GetActivationIdInlineAsync() => Task.FromResult(activationId);
}

/// <summary>Immutable entry with constructor parameters: must round-trip through System.Text.Json.</summary>
public sealed record LedgerEntry(string Label, double Value, ImmutableArray<int> Tags);

public sealed class LedgerState
{
    public int Writes { get; set; }
    public ImmutableList<LedgerEntry> Entries { get; set; } = [];
    public double Max { get; set; } = double.NegativeInfinity;
}

public interface ILedgerGrain : IGrainWithStringKey
{
    Task AddAsync(LedgerEntry entry);
    Task AddWithoutWritingAsync(LedgerEntry entry);
    Task<LedgerState> GetAsync();
    Task ClearAsync();
}

/// <summary>Persistent grain in the Orleans style: mutate the state, then WriteStateAsync().</summary>
public sealed class LedgerGrain([PersistentState("ledger")] IPersistentState<LedgerState> ledger) : Grain, ILedgerGrain
{
    public async Task AddAsync(LedgerEntry entry)
    {
        await AddWithoutWritingAsync(entry);
        await ledger.WriteStateAsync();
    }

    public Task AddWithoutWritingAsync(LedgerEntry entry)
    {
        var s = ledger.State;
        ledger.State = new LedgerState { Writes = s.Writes + 1, Entries = s.Entries.Add(entry), Max = Math.Max(s.Max, entry.Value) };
        return Task.CompletedTask;
    }

    public Task<LedgerState> GetAsync() => Task.FromResult(ledger.State);
    public Task ClearAsync() => ledger.ClearStateAsync();
}
