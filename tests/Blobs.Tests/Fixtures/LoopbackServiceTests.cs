using System.Net;
using System.Net.Sockets;
using Actors.Testing;

namespace Actors.Blobs.Tests.Fixtures;

/// <summary>The test helper that starts cluster services itself (the azurite part is exercised by AzureBlobStoreTests).</summary>
public sealed class LoopbackServiceTests
{
    [Fact]
    public async Task RedisServerAnswersPingOnItsLoopbackPortAndDisposeEndsItAndFreesThePortAndTheFolder()
    {
        var redis = await LoopbackService.StartRedisServerAsync();
        int port = redis.Port;
        string folder = redis.DataFolder;
        int pid = redis.ProcessId;
        try
        {
            Assert.Equal($"127.0.0.1:{port}", redis.ConnectionString);
            Assert.Equal("+PONG", await LoopbackService.RedisPingAsync(port));
        }
        finally
        {
            await redis.DisposeAsync();
        }
        Assert.False(Directory.Exists($"/proc/{pid}"), $"redis-server (PID {pid}) still runs");
        await Assert.ThrowsAnyAsync<SocketException>(() => new TcpClient().ConnectAsync(IPAddress.Loopback, port));
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start(); // nothing holds the port any more
        listener.Stop();
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task AMissingServiceFailsWithAMessageThatSaysToRunSetup()
    {
        var azurite = await Assert.ThrowsAsync<InvalidOperationException>(
            () => LoopbackService.StartAzuriteBlobAsync(script: "/nonexistent/azurite-blob"));
        Assert.Contains("deploy/setup.sh", azurite.Message);
        var redis = await Assert.ThrowsAsync<InvalidOperationException>(
            () => LoopbackService.StartRedisServerAsync(program: "/nonexistent/redis-server"));
        Assert.Contains("deploy/setup.sh", redis.Message);
    }
}
