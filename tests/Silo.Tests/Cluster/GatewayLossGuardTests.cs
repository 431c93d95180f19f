using System.Reflection;
using Actors.Cluster;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;

namespace Actors.Silo.Tests.Cluster;

/// <summary>
/// The API's calls in flight when a gateway connection closes fail at once as transient; calls that answer, calls
/// sent after the loss and gateways being added are left alone.
/// </summary>
public class GatewayLossGuardTests
{
    /// <summary>A client call whose answer the test controls.</summary>
    sealed class PendingCall : IOutgoingGrainCallContext
    {
        public readonly TaskCompletionSource Answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task Invoke() => Answer.Task;
        public string InterfaceName => "ILatentGrain";
        public string MethodName => "GetViewAsync";
        public IGrainContext? SourceContext => null;
        public IInvokable Request => throw new NotSupportedException();
        public object Grain => throw new NotSupportedException();
        public GrainId? SourceId => null;
        public GrainId TargetId => default;
        public GrainInterfaceType InterfaceType => default;
        public MethodInfo InterfaceMethod => throw new NotSupportedException();
        public object? Result { get; set; }
        public Response? Response { get; set; }
    }

    static async Task<bool> EndsWithin(Task task, int milliseconds) => await Task.WhenAny(task, Task.Delay(milliseconds)) == task;

    [Fact]
    public async Task ACallInFlightWhenAGatewayClosesFailsAsSiloUnavailable()
    {
        var guard = new GatewayLossGuard(NullLogger<GatewayLossGuard>.Instance);
        var call = new PendingCall();
        var filtered = guard.Invoke(call);
        Assert.False(await EndsWithin(filtered, 50));
        guard.NotifyGatewayCountChanged(2, 3, connectionRecovered: false);
        Assert.True(await EndsWithin(filtered, 5000));
        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => filtered);
        Assert.Contains("ILatentGrain.GetViewAsync", error.Message);
        Assert.True(GrainRetry.IsTransient(error));   // the API answers 503
        call.Answer.SetException(new TimeoutException());   // the abandoned call's late end is observed, not thrown
    }

    [Fact]
    public async Task LosingTheLastGatewayFailsCallsInFlightToo()
    {
        var guard = new GatewayLossGuard(NullLogger<GatewayLossGuard>.Instance);
        var call = new PendingCall();
        var filtered = guard.Invoke(call);
        guard.NotifyClusterConnectionLost();
        await Assert.ThrowsAsync<SiloUnavailableException>(() => filtered);
    }

    [Fact]
    public async Task AnsweredCallsAndCallsSentAfterTheLossAreUntouched()
    {
        var guard = new GatewayLossGuard(NullLogger<GatewayLossGuard>.Instance);
        var answered = new PendingCall();
        answered.Answer.SetResult();
        await guard.Invoke(answered);

        var failing = new PendingCall();
        failing.Answer.SetException(new ArgumentException("bad latent"));
        await Assert.ThrowsAsync<ArgumentException>(() => guard.Invoke(failing));   // a grain's own error passes through

        guard.NotifyGatewayCountChanged(2, 3, connectionRecovered: false);
        var later = new PendingCall();
        var filtered = guard.Invoke(later);
        guard.NotifyGatewayCountChanged(3, 2, connectionRecovered: false);   // a gateway joining fails nothing
        Assert.False(await EndsWithin(filtered, 100));
        later.Answer.SetResult();
        await filtered;
    }
}
