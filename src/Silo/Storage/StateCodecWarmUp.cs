using System.Diagnostics;
using System.Reflection;
using Actors.Grains.Latents;
using Actors.Grains.Messages;
using Actors.Grains.Sketches;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;

namespace Actors.Silo.Storage;

/// <summary>
/// Compiles the grain state codecs while the silo starts, on a thread of its own, by round-tripping a sample of every
/// grain state type through the serializer that storage uses; nothing is stored. The server runs without tiered
/// compilation (src/ServerProcess.props), so each codec method is compiled at its first call, and the codecs are generic
/// over the buffer they write: in a fresh process an ingestion's first checkpoint began with ≈ 0.25 s in which one
/// thread compiled the first <see cref="LatentState"/> write while every other latent's write waited for it and the
/// second core stood idle (perf, ingest-wide). A silo's start-up is mostly a chain of first calls on one thread, so
/// this runs beside it. Samples have something in every member and collection, so the members' codecs are
/// compiled too.
/// </summary>
public sealed class StateCodecWarmUp(Serializer serializer, ILogger<StateCodecWarmUp> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The warm-up started with the silo (a completed task until then); its result is <see cref="Run"/>'s.</summary>
    public Task<IReadOnlyList<string>> Completion { get; private set; } = Task.FromResult<IReadOnlyList<string>>([]);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(StateCodecWarmUp), ServiceLifecycleStage.RuntimeInitialize, _ =>
        {
            Completion = Task.Run(Run);   // not awaited: the silo does not wait for it
            return Task.CompletedTask;
        });

    /// <summary>Round-trips a sample of each of <see cref="StateTypes"/>; returns the failures, one line each (a codec
    /// that cannot read what it wrote is also logged: storage would meet the same error).</summary>
    public IReadOnlyList<string> Run()
    {
        long started = Stopwatch.GetTimestamp();
        var failures = new List<string>();
        var roundTrip = typeof(StateCodecWarmUp).GetMethod(nameof(RoundTrip), BindingFlags.NonPublic | BindingFlags.Instance)!;
        foreach (var type in StateTypes)
        {
            try { roundTrip.MakeGenericMethod(type).Invoke(this, BindingFlags.DoNotWrapExceptions, null, [SampleOf(type)], null); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogWarning(e, "grain state {Type} does not round-trip through the serializer", type.Name);
                failures.Add($"{type.Name}: {e.Message}");
            }
        }
        logger.LogDebug("codecs of {Count} grain state types compiled in {Seconds:F2} s", StateTypes.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return failures;
    }

    // The same calls as SqlGrainStorage's reads and writes, so the same generic instantiations are compiled.
    void RoundTrip<T>(T sample)
    {
        var typed = serializer.GetSerializer<T>();
        _ = typed.Deserialize(typed.SerializeToArray(sample));
    }

    /// <summary>The state types of the grains: the T of every IPersistentState&lt;T&gt; a grain class's constructor takes.</summary>
    public static IReadOnlyList<Type> StateTypes { get; } = [.. typeof(LatentGrain).Assembly.GetTypes()
        .Where(t => typeof(Grain).IsAssignableFrom(t) && !t.IsAbstract)
        .SelectMany(t => t.GetConstructors())
        .SelectMany(c => c.GetParameters())
        .Select(p => p.ParameterType)
        .Where(p => p.IsGenericType && p.GetGenericTypeDefinition() == typeof(IPersistentState<>))
        .Select(p => p.GetGenericArguments()[0])
        .Distinct()
        .OrderBy(t => t.FullName, StringComparer.Ordinal)];

    /// <summary>A sample of a state type: the latents and their index as an ingestion writes them (their sketches are
    /// serialized through surrogates that a generic sample would leave empty), the others from <see cref="SerializableSample"/>.</summary>
    public static object SampleOf(Type type)
    {
        if (type == typeof(LatentState)) return LatentSample();
        if (type == typeof(LatentIndexState))
            return new LatentIndexState { Latents = { [0] = LatentSummary.Of(0, LatentSample()) } };
        return SerializableSample.Of(type) ?? throw new InvalidOperationException($"no sample of grain state {type.Name} can be made");
    }

    /// <summary>A latent after its first delta, shaped as ingestion sends one (a sparse histogram, a reference image with
    /// its heatmap and a content hash, class activation and relevance moments).</summary>
    static LatentState LatentSample()
    {
        var sketch = new LatentSketch(LogHistogram.Sparse(), new TopReferences(TopReferences.DefaultCapacity))
        {
            Firing = new FiringStats(2, 1), Activation = Moments.Of([0.5, 1.5]), Max = MaxTracker.Empty.Add(1.5),
        };
        sketch.Histogram.Add(0.5);
        sketch.Histogram.Add(1.5);
        sketch.Classes.Add("class", 0.25);
        sketch.Relevance.Add("class", 0.1);
        sketch.References.Add(new ReferenceImage(new ImageRef("corpus", "image", new string('0', 64)), 0.25, "class",
            PatchHeatmap.Quantize(2, [0, 1.5f, 0, 0.5f])));
        var state = new LatentState();
        state.TryMerge(new LatentDelta("corpus", BatchId: 0, DurableThrough: -1, sketch));
        return state;
    }
}
