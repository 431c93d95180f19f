using Orleans;
using System.Diagnostics;

namespace Actors.Benchmarks;

[Alias("actors.bench.IEchoGrain")]
public interface IEchoGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();
}

/// <summary>The cheapest possible grain: what is measured is the runtime's per-call cost.</summary>
[GrainType("bench-echo")]
public sealed class EchoGrain : Grain, IEchoGrain
{
    int calls;
    public Task<int> IncrementAsync() => Task.FromResult(++calls);
}

/// <summary>
/// Grain calls per second from many concurrent callers through grain references of an Orleans silo in this process
/// (proxy, message, activation turn, reply).
/// Options: --callers N (default 64), --grains N (default 1: all callers contend for one activation),
/// --seconds S (default 3).
/// </summary>
public sealed class GrainCallBenchmark : IBenchmark
{
    public string Name => "grain-calls";
    public string Description => "calls/s to a trivial grain from many concurrent callers (--callers, --grains, --seconds)";

    public int Run(string[] args)
    {
        int callers = BenchmarkOptions.Int(args, "--callers", 64), grains = BenchmarkOptions.Int(args, "--grains", 1), seconds = BenchmarkOptions.Int(args, "--seconds", 3);
        using var bench = BenchSilo.Start();
        var silo = bench.Grains;

        Measure(silo, callers, grains, TimeSpan.FromSeconds(1)); // warm-up: JIT, activations
        var (calls, elapsed) = Measure(silo, callers, grains, TimeSpan.FromSeconds(seconds));
        int served = Enumerable.Range(0, grains).Sum(g => silo.GetGrain<IEchoGrain>($"g{g}").IncrementAsync().Result - 1);

        double rate = calls / elapsed.TotalSeconds;
        Console.WriteLine($"callers={callers} grains={grains} calls={calls} served={served} seconds={elapsed.TotalSeconds:F2}");
        Console.WriteLine($"RESULT name=grain-calls value={rate:F0} unit=call/s");
        return 0;
    }

    static (long Calls, TimeSpan Elapsed) Measure(IGrainFactory silo, int callers, int grains, TimeSpan duration)
    {
        long calls = 0;
        var stop = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var grain = silo.GetGrain<IEchoGrain>($"g{c % grains}");
            long mine = 0;
            while (stop.Elapsed < duration) { await grain.IncrementAsync(); mine++; }
            Interlocked.Add(ref calls, mine);
        })).ToArray();
        Task.WaitAll(tasks);
        return (calls, stop.Elapsed);
    }
}
