using System.Text.Json;
using Actors.Grains.Latents;
using Actors.Grains.Registry;
using Actors.Grains.Steering;
using Actors.Grains.Tests.Cluster;

namespace Actors.Grains.Tests.Grains;

/// <summary>The steering results' slots on the latent and SAE grains, on a 2-silo TestCluster.</summary>
public class SteeringSlotTests(SharedGrainCluster shared) : IClassFixture<SharedGrainCluster>
{
    GrainCluster Cluster => shared.Cluster;

    [Fact]
    public async Task ASteeringSweepIsShownInTheLatentViewAndSurvivesReactivation()
    {
        string sae = $"sae-{Guid.NewGuid():N}";
        var sweep = new SteeringSweep("world", "spurious-test", 12,
            [new SteeringSweepPoint(0, 0.001, 1.2, [new ConceptShift("duck", -0.01)], [new ConceptProbability("bird", 0.6)]),
             new SteeringSweepPoint(150, 0.8, 0.9, [new ConceptShift("duck", 0.7)], [new ConceptProbability("duck", 0.9)])],
            "steering-sweep-1", DateTimeOffset.UnixEpoch);
        var grain = Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, 3));
        Assert.Null((await grain.GetAsync()).SteeringSweep);
        await grain.SetSteeringSweepAsync(sweep);
        Assert.Equal(Json(sweep), Json((await grain.GetAsync()).SteeringSweep));
        await Cluster.DeactivateAllAsync();
        Assert.Equal(Json(sweep), Json((await Cluster.Grains.GetGrain<ILatentGrain>(LatentKey.Of(sae, 3)).GetAsync()).SteeringSweep));
    }

    [Fact]
    public async Task ASteerabilityReportIsShownInTheSaeViewAndSurvivesReactivation()
    {
        string id = $"sae-{Guid.NewGuid():N}";
        var sae = Cluster.Grains.GetGrain<ISaeGrain>(id);
        await sae.RegisterAsync(new SaeRecord("tiny", new HookSpec(0, "all"), 96, "topk", "/sae"));
        Assert.Null((await sae.GetAsync()).Steerability);
        var report = new SteerabilityReport("world", "c", 150, 0.1, 0.5, 7, 40, 96, 8, 0.12, 0.25, 10, 3, 2,
            [0, 0.5, 1], [37, 3], [new LatentSteerability(5, 0.9, "duck")], "steerability-1", DateTimeOffset.UnixEpoch);
        await sae.SetSteerabilityAsync(report);
        await Cluster.DeactivateAllAsync();
        var view = await Cluster.Grains.GetGrain<ISaeGrain>(id).GetAsync();
        Assert.Equal(Json(report), Json(view.Steerability));
        Assert.Equal(96, view.Record!.DSae);
    }

    static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
