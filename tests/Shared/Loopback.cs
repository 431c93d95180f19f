using System.Net;
using System.Net.Sockets;

namespace Actors.Testing;

/// <summary>Ports on 127.0.0.1 for the child processes tests and benchmarks start.</summary>
public static class Loopback
{
    /// <summary>A loopback port no one listens on now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
