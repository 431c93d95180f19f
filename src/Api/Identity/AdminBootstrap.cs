using Actors.Grains.Identity;
using Orleans;

namespace Actors.Api.Identity;

/// <summary>
/// On an instance without users, creates the first admin and prints its key (once: only the hash is kept), so the
/// newcomer's path stays two commands. With Auth:BootstrapAdminKey set (CI, tests), that key is the admin's. It runs
/// in the background (in a cluster the API may start before the silos); key checks wait for it (<see cref="Completed"/>),
/// so the admin's first request is not refused as an unknown key while the admin is being created.
/// </summary>
public sealed class AdminBootstrap(IGrainFactory grains, AuthOptions options, ILogger<AdminBootstrap> logger) : BackgroundService
{
    public const string AdminName = "admin";
    readonly TaskCompletionSource checkedDirectory = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the directory is known to have its first user (created now or before).</summary>
    public Task Completed => checkedDirectory.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (int attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await EnsureAdminAsync();
                checkedDirectory.TrySetResult();
                return;
            }
            catch (Exception e) when (attempt < 150)   // the silo or the cluster client may still be starting (≈ 30 s)
            {
                logger.LogDebug("first-admin check waits for the cluster: {Error}", e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
            }
        }
    }

    async Task EnsureAdminAsync()
    {
        var directory = grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key);
        if (await directory.HasUsersAsync()) return;
        var key = options.BootstrapAdminKey is { } configured ? ApiKeys.FromConfigured(configured, "Auth:BootstrapAdminKey") : ApiKeys.Generate();
        await directory.CreateUserAsync(AdminName, isAdmin: true, key.KeyId, key.SecretHash);
        if (options.BootstrapAdminKey is null)
            Console.WriteLine($"auth: first admin created; its API key (shown once, send it as {ApiKeys.Header}): {key.Plaintext}");
        else logger.LogInformation("auth: first admin created with the configured key {KeyId}", key.KeyId);
    }
}
