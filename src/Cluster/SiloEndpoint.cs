namespace Actors.Cluster;

/// <summary>Where a silo listens, on 127.0.0.1, and its name (the "Silo" section's Name, SiloPort, GatewayPort).</summary>
public sealed class SiloEndpoint
{
    /// <summary>The silo's name in membership and the dashboard; default "{role}-{SiloPort}".</summary>
    public string? Name { get; set; }
    /// <summary>Port for silo-to-silo messages.</summary>
    public int SiloPort { get; set; } = 11111;
    /// <summary>Port clients (a separate API process) connect to; 0 opens no gateway (the embedded default needs none).</summary>
    public int GatewayPort { get; set; }
}
