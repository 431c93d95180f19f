using Actors.Grains.Jobs;
using Actors.Grains.Latents;
using Actors.Grains.Registry;
using Actors.Silo.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Runtime;

namespace Actors.Silo.Tests.Storage;

/// <summary>
/// The start-up warm-up of the grain state codecs: it finds every state a grain keeps, each sample round-trips, and
/// the samples of the states an ingestion writes hold an element in each collection it fills (an empty collection
/// would leave the element codecs to the first checkpoint, which is what the warm-up is for).
/// </summary>
public class StateCodecWarmUpTests
{
    [Fact]
    public void ItFindsTheStateOfEveryPersistentStateParameterOfTheGrains()
    {
        // Found independently of the warm-up's own search: by the [PersistentState] attribute, not the parameter type.
        var attributed = typeof(LatentGrain).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Grain)))
            .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()))
            .Where(p => p.GetCustomAttributes(typeof(PersistentStateAttribute), false).Length > 0)
            .Select(p => p.ParameterType.GetGenericArguments().Single())
            .ToHashSet();
        Assert.Equal(attributed.OrderBy(t => t.FullName), StateCodecWarmUp.StateTypes.OrderBy(t => t.FullName));
        Assert.Contains(typeof(LatentState), StateCodecWarmUp.StateTypes);
        Assert.Contains(typeof(LatentIndexState), StateCodecWarmUp.StateTypes);
        Assert.Contains(typeof(CorpusState), StateCodecWarmUp.StateTypes);
        Assert.Contains(typeof(JobState), StateCodecWarmUp.StateTypes);
    }

    [Fact]
    public void EverySampleRoundTripsThroughTheSerializer() =>
        Assert.Empty(new StateCodecWarmUp(TestSerializer.Instance, NullLogger<StateCodecWarmUp>.Instance).Run());

    [Fact]
    public void TheLatentSampleIsALatentAfterItsFirstDelta()
    {
        var sample = (LatentState)StateCodecWarmUp.SampleOf(typeof(LatentState));
        var copy = TestSerializer.Instance.Deserialize<LatentState>(TestSerializer.Instance.SerializeToArray(sample))!;
        foreach (var state in new[] { sample, copy })
        {
            Assert.True(state.Ledger.Contains("corpus", 0));
            Assert.Equal(2, state.Sketch.Firing.FiringTokens);
            Assert.Equal(2, state.Sketch.Histogram.Total);
            Assert.Single(state.Sketch.References.Items);
            Assert.Equal(new string('0', 64), state.Sketch.References.Items[0].Image.ContentHash);
            Assert.Equal(2, state.Sketch.References.Items[0].HeatmapWidth);
            Assert.Single(state.Sketch.Classes.Classes);
            Assert.Single(state.Sketch.Relevance.Classes);
        }
        var index = (LatentIndexState)StateCodecWarmUp.SampleOf(typeof(LatentIndexState));
        Assert.Equal(2, Assert.Single(index.Latents).Value.FiringTokens);
    }
}
