namespace Actors.Grains.Runtime;

/// <summary>
/// Marks a grain method as a short call that the silo may run on the caller's thread when the grain is idle (no
/// turn queued or running), instead of queuing it to the activation: a cached read then costs a method call, not
/// two thread-pool hops (queue → activation pump → caller's continuation). Turns still never overlap, and a call
/// that arrives while others are queued or running waits its turn as usual. Meant for reads that usually complete
/// synchronously (e.g. a latent's cached view); unmarked methods always queue, so callers that fan calls out to
/// many grains keep running them in parallel.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class InlineWhenIdleAttribute : Attribute;
