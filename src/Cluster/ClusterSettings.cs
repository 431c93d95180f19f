namespace Actors.Cluster;

public enum ClusterMembership
{
    /// <summary>One silo on 127.0.0.1 (the embedded default): no membership store.</summary>
    Localhost,
    /// <summary>Silos and clients find each other through a Redis membership table.</summary>
    Redis,
}

/// <summary>
/// How the processes of one cluster find each other (configuration section "Cluster"); every silo and client of a
/// cluster must be given the same membership, Redis and ids.
/// </summary>
public sealed class ClusterSettings
{
    public ClusterMembership Membership { get; set; } = ClusterMembership.Localhost;
    public string Redis { get; set; } = "127.0.0.1:6379";
    public string ServiceId { get; set; } = "clip-observatory";
    public string ClusterId { get; set; } = "local";
    /// <summary>
    /// Failure detection. Orleans's defaults (probe timeout 5 s, 3 missed probes, 2 votes) evict a killed silo in
    /// 6-18 s; on loopback 1 s, 2 probes and 1 vote evicted one in ≈ 1 s. Null keeps Orleans's value.
    /// </summary>
    public TimeSpan? ProbeTimeout { get; set; }
    public int? NumMissedProbesLimit { get; set; }
    public int? NumVotesForDeathDeclaration { get; set; }
    /// <summary>
    /// Serve the Orleans Dashboard (silo statistics, grain calls, any grain's state) at /dashboard, to administrators.
    /// deploy/'s cluster turns it on; the embedded default leaves it off: its silo side subscribes to every Orleans
    /// meter once a second and wraps every grain call in a filter, which in ingest-wide's first corpus cost 0.24 s of
    /// a 2.6 s delivery and ~38k page faults (3 interleaved pairs).
    /// </summary>
    public bool Dashboard { get; set; }
}
