using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Actors.Cluster;

/// <summary>
/// A client's grain calls in flight when one of its gateway connections closes fail at once as transient
/// (<see cref="SiloUnavailableException"/>, which the API answers with 503), instead of hanging for the response
/// timeout (30 s). A silo breaks its callbacks to a silo that membership declares dead; an Orleans client does not,
/// so a request the dead silo held, or one its gateway was forwarding, is simply never answered.
/// The client cannot tell which connection a call went through, so every call in flight at that moment fails; the
/// caller's retry goes through the gateways still alive. A call that reached a live silo may have been applied all
/// the same: the caller learns as much as the timeout would have told it, 30 s sooner.
/// </summary>
public sealed class GatewayLossGuard(ILogger<GatewayLossGuard> log) : IClusterConnectionStatusObserver, IOutgoingGrainCallFilter
{
    TaskCompletionSource lost = NewSignal();

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        // Read before sending: a connection that closes any time after the call left must fail it.
        var gatewayLost = Volatile.Read(ref lost).Task;
        var call = context.Invoke();
        if (!call.IsCompleted && await Task.WhenAny(call, gatewayLost) != call)
        {
            _ = call.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);   // nobody waits for it now
            throw new SiloUnavailableException(
                $"a gateway connection closed while {context.InterfaceName}.{context.MethodName} was in flight; " +
                "its answer may never come, so call again (the cluster moves a dead silo's grains within seconds)");
        }
        await call;
    }

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways >= previousNumberOfGateways) return;
        log.LogWarning("a gateway connection closed ({Connected} of {Before} left): grain calls in flight fail as unavailable",
            currentNumberOfGateways, previousNumberOfGateways);
        Signal();
    }

    public void NotifyClusterConnectionLost()
    {
        log.LogWarning("no gateway connection is left: grain calls in flight fail as unavailable");
        Signal();
    }

    void Signal() => Interlocked.Exchange(ref lost, NewSignal()).TrySetResult();

    static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
