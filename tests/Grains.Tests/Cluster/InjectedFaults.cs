using System.Collections.Concurrent;
using Orleans.Runtime;

namespace Actors.Grains.Tests.Cluster;

/// <summary>
/// The test cluster's client fails chosen calls as if their silo had just died (<see cref="SiloUnavailableException"/>,
/// what a call to a killed silo gets), so a test can check that a caller retries them. Armed per grain and method, so
/// tests sharing the cluster do not see each other's faults; unarmed it passes every call through.
/// </summary>
public sealed class InjectedFaults : IOutgoingGrainCallFilter
{
    static readonly ConcurrentDictionary<(GrainId Grain, string Method), int> Armed = new();

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> on <paramref name="grain"/> fail.</summary>
    public static void FailNext(GrainId grain, string method, int times) => Armed[(grain, method)] = times;

    /// <summary>Armed failures not yet spent.</summary>
    public static int Remaining(GrainId grain, string method) => Armed.GetValueOrDefault((grain, method));

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        var key = (context.TargetId, context.MethodName);
        while (Armed.TryGetValue(key, out int left) && left > 0)
            if (Armed.TryUpdate(key, left - 1, left))
                throw new SiloUnavailableException($"injected: {context.InterfaceName}.{context.MethodName} on {context.TargetId}");
        return context.Invoke();
    }
}
