namespace Actors.Api.Identity;

/// <summary>Configuration section "Auth".</summary>
public sealed class AuthOptions
{
    /// <summary>Whether anyone may read latent statistics without a key (off by default).</summary>
    public bool AnonymousReads { get; set; }
    /// <summary>The first admin's key when the instance has no user yet (CI, tests); otherwise one is generated and printed.</summary>
    public string? BootstrapAdminKey { get; set; }
    /// <summary>Failed authentications allowed per client address and minute before further attempts are refused with 429.</summary>
    public int FailedAttemptsPerMinute { get; set; } = 20;
}
