using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Actors.Testing;

/// <summary>
/// The API as a real child process (`dotnet Api.dll` from the caller's output folder) on a free loopback port,
/// configured through command-line settings, so a test can SIGKILL it and start it again on the same data and a
/// benchmark can load it from another process. Compiled into Api.Tests and Benchmarks (one source, linked).
/// Its output is kept (last lines) for failure messages.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    readonly Process process;
    readonly ProcessLog log = new();
    public HttpClient Client { get; }
    public string Name { get; }

    /// <summary>Longer than a grain call's response timeout (30 s): a request the cluster cannot answer in time comes
    /// back as the API's own 503 rather than as the test giving up on it.</summary>
    static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(45);

    ApiProcess(string name, Process process, int port)
    {
        Name = name;
        this.process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = ClientTimeout };
        Client.DefaultRequestHeaders.Add(TestKeys.Header, TestKeys.Admin);
    }

    /// <param name="cpus">CPUs the API process may run on (taskset's list, e.g. "0"), so a benchmark's load generator
    /// can run beside it without taking its cores; null: no restriction.</param>
    public static Task<ApiProcess> StartAsync(string name, IReadOnlyDictionary<string, string?> settings, TimeSpan startTimeout,
        string? cpus = null) => StartAsync(name, "Api.dll", [], settings, startTimeout, cpus, readyPort: null);

    /// <summary>
    /// Another process of ours from the caller's output folder (e.g. "Silo.dll", or "GpuHost.dll" with verb "silo"),
    /// ready once it accepts connections on <paramref name="readyPort"/> (a silo's port).
    /// </summary>
    public static Task<ApiProcess> StartSiloAsync(string name, string dll, string[] verb, IReadOnlyDictionary<string, string?> settings,
        int readyPort, TimeSpan startTimeout) => StartAsync(name, dll, verb, settings, startTimeout, null, readyPort);

    static async Task<ApiProcess> StartAsync(string name, string dllName, string[] verb, IReadOnlyDictionary<string, string?> settings,
        TimeSpan startTimeout, string? cpus, int? readyPort)
    {
        int port = Loopback.FreePort();
        settings = TestKeys.WithAdminKey(settings);
        // Each API process hosts a silo: give it a silo port of its own unless the caller chose one.
        if (!settings.ContainsKey("Silo:SiloPort")) settings = new Dictionary<string, string?>(settings) { ["Silo:SiloPort"] = Loopback.FreePort().ToString() };
        string dll = Path.Combine(AppContext.BaseDirectory, dllName);
        var info = new ProcessStartInfo(cpus is null ? "dotnet" : "taskset")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = settings["Silo:DataFolder"]!,
        };
        if (cpus is not null) foreach (var a in new[] { "-c", cpus, "dotnet" }) info.ArgumentList.Add(a);
        info.ArgumentList.Add(dll);
        foreach (var a in verb) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (key, value) in settings) info.ArgumentList.Add($"--{key}={value}");
        Directory.CreateDirectory(info.WorkingDirectory);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start dotnet {dll}");
        var api = new ApiProcess(name, process, port);
        api.log.Follow(process);

        var deadline = DateTime.UtcNow + startTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"API '{name}' exited with {process.ExitCode} at start:\n{api.Log}");
            try
            {
                if (readyPort is { } ready ? await AcceptsAsync(ready) : (await api.Client.GetAsync("/health")).IsSuccessStatusCode) return api;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        await api.DisposeAsync();
        throw new TimeoutException($"process '{name}' was not ready within {startTimeout.TotalSeconds} s:\n{api.Log}");
    }

    public string Log => log.Text(process);

    /// <summary>SIGKILL on Linux: no shutdown hooks run, nothing is flushed.</summary>
    public void Kill()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try { await client.ConnectAsync(IPAddress.Loopback, port); return true; }
        catch (SocketException) { return false; }
    }


    public ValueTask DisposeAsync()
    {
        Kill();
        Client.Dispose();
        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
