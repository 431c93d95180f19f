using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Actors.Testing;

/// <summary>
/// A cluster service (azurite-blob, redis-server) as a child process of the test, on a free 127.0.0.1 port with
/// its own temporary data folder, started the way deploy/cluster/services.sh starts it. Start returns once the
/// service answers; dispose kills exactly that process (its PID, never a name) and deletes the folder. A missing
/// program fails with a message saying to run deploy/setup.sh: CI runs it first, so a missing service is a broken
/// machine, not a reason to skip. Compiled into the test projects that need one (one source, linked).
/// </summary>
public sealed class LoopbackService : IAsyncDisposable
{
    /// <summary>Azurite's fixed development account (public, documented by Microsoft; azurite accepts only it).</summary>
    public const string AzuriteAccount = "devstoreaccount1";
    const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    const string SetupHint = "run deploy/setup.sh (as root) to install it";

    readonly Process process;
    readonly ProcessLog log = new();

    LoopbackService(string name, Process process, int port, string dataFolder)
    {
        Name = name;
        this.process = process;
        Port = port;
        DataFolder = dataFolder;
        log.Follow(process);
    }

    public string Name { get; }
    public int Port { get; }
    public string DataFolder { get; }
    public int ProcessId => process.Id;
    public bool HasExited => process.HasExited;
    /// <summary>What a client of this service is configured with (Azure storage / StackExchange.Redis syntax).</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>azurite-blob from deploy/node_modules (npm ci by setup.sh), telemetry off, data in a temp folder.</summary>
    /// <param name="script">the azurite-blob entry script; default deploy/node_modules/.bin/azurite-blob.</param>
    public static async Task<LoopbackService> StartAzuriteBlobAsync(string? script = null, TimeSpan? timeout = null)
    {
        script ??= Path.Combine(RepositoryRoot(), "deploy", "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(script)) throw new InvalidOperationException($"azurite-blob is not installed (no {script}): {SetupHint}");
        string node = FindOnPath("node") ?? throw new InvalidOperationException($"node is not installed (not on PATH): {SetupHint}");
        var service = await StartAsync("azurite-blob", node,
            (port, folder) => [script, "--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--location", folder,
                "--disableTelemetry", "--silent"],
            AnswersHttpAsync, timeout ?? TimeSpan.FromSeconds(60));
        service.ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={AzuriteAccount};AccountKey={AzuriteKey};"
            + $"BlobEndpoint=http://127.0.0.1:{service.Port}/{AzuriteAccount};";
        return service;
    }

    /// <summary>redis-server with no persistence (no RDB, no AOF) and its working folder in a temp folder.</summary>
    /// <param name="program">the redis-server executable; default the one on PATH (Debian's, installed by setup.sh).</param>
    public static async Task<LoopbackService> StartRedisServerAsync(string? program = null, TimeSpan? timeout = null)
    {
        program ??= FindOnPath("redis-server");
        if (program is null || !File.Exists(program))
            throw new InvalidOperationException($"redis-server is not installed ({program ?? "not on PATH"}): {SetupHint}");
        var service = await StartAsync("redis-server", program,
            (port, folder) => ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--dir", folder],
            AnswersRedisPingAsync, timeout ?? TimeSpan.FromSeconds(30));
        service.ConnectionString = $"127.0.0.1:{service.Port}";
        return service;
    }

    /// <summary>Starts the program on a port that was free a moment ago; if it exits before answering (another
    /// process took the port in between), tries again on a new port.</summary>
    static async Task<LoopbackService> StartAsync(string name, string program, Func<int, string, string[]> arguments,
        Func<int, Task<bool>> answers, TimeSpan timeout)
    {
        for (int attempt = 1; ; attempt++)
        {
            int port = Loopback.FreePort();
            string folder = Path.Combine(Path.GetTempPath(), $"actors-{name}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            var info = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder,
            };
            foreach (string a in arguments(port, folder)) info.ArgumentList.Add(a);
            LoopbackService service;
            try { service = new LoopbackService(name, Process.Start(info)!, port, folder); }
            catch
            {
                Directory.Delete(folder, recursive: true);
                throw;
            }

            var deadline = DateTime.UtcNow + timeout;
            while (!service.HasExited && DateTime.UtcNow < deadline)
            {
                if (await answers(port) && !service.HasExited) return service; // not some other process on that port
                await Task.Delay(100);
            }
            bool exited = service.HasExited;
            string output = service.Log;
            await service.DisposeAsync();
            if (exited && attempt < 3) continue;
            string why = exited ? "exited at start" : $"did not answer within {timeout.TotalSeconds} s";
            throw new InvalidOperationException($"{name} on 127.0.0.1:{port} {why}:\n{output}");
        }
    }

    /// <summary>Any HTTP response at all (azurite answers an unsigned request with an error status).</summary>
    static async Task<bool> AnswersHttpAsync(int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await client.GetAsync($"http://127.0.0.1:{port}/{AzuriteAccount}?comp=list");
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return false; }
    }

    static async Task<bool> AnswersRedisPingAsync(int port)
    {
        try { return await RedisPingAsync(port) == "+PONG"; }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException) { return false; }
    }

    /// <summary>Sends the inline command PING over a raw socket; returns the first reply line ("+PONG").</summary>
    public static async Task<string> RedisPingAsync(int port)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancel.Token);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), cancel.Token);
        var buffer = new byte[64];
        int length = 0;
        while (length < buffer.Length && (length == 0 || buffer[length - 1] != '\n'))
        {
            int read = await stream.ReadAsync(buffer.AsMemory(length), cancel.Token);
            if (read == 0) break;
            length += read;
        }
        return Encoding.ASCII.GetString(buffer, 0, length).TrimEnd('\r', '\n');
    }


    /// <summary>The checkout this test runs from: the nearest folder above the test's output holding Actors.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Actors.sln above {AppContext.BaseDirectory}");
    }

    static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    /// <summary>The service's last output lines, for failure messages.</summary>
    public string Log => log.Text(process);

    /// <summary>SIGKILL to this one PID (the services keep nothing a test needs after it), then the data folder goes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(cancel.Token);
        }
        process.Dispose();
        if (Directory.Exists(DataFolder)) Directory.Delete(DataFolder, recursive: true);
    }
}
