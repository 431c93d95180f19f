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
}
