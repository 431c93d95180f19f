using System.Reflection;
using Actors.Api.Hosting;
using Actors.Cluster;
using Orleans.Runtime;

namespace Actors.Api.Tests.Hosting;

/// <summary>
/// A cluster with no GPU host in it (yet) has no class for the model host grain: Orleans refuses to make the reference
/// (ArgumentException), and the API turns that into a transient failure, answered 503, instead of a server error.
/// </summary>
public class ModelHostTests
{
    /// <summary>A grain factory of a cluster that has no grain class for any interface, as Orleans's own refuses.</summary>
    public class FactoryWithoutHosts : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? method, object?[]? args) =>
            throw new ArgumentException($"Could not find an implementation for interface {method?.ReturnType.Name}");
    }

    [Fact]
    public void NoHostInTheClusterIsATransientFailure()
    {
        var grains = DispatchProxy.Create<IGrainFactory, FactoryWithoutHosts>();
        var e = Assert.Throws<SiloUnavailableException>(() => ModelHost.Of(grains));
        Assert.Contains("no GPU host", e.Message);
        Assert.True(GrainRetry.IsTransient(e));   // the API's exception handler answers 503
    }
}
