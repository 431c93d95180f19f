namespace Actors.Testing;

/// <summary>
/// The first admin's API key in test instances (Auth:BootstrapAdminKey), which clients of those instances send by
/// default. A test of authentication itself removes or replaces the header.
/// </summary>
public static class TestKeys
{
    public const string Header = "x-api-key";
    public const string Admin = "ak_7e57ad000001_test-admin-secret-not-for-production";
    public const string Setting = "Auth:BootstrapAdminKey";

    public static IReadOnlyDictionary<string, string?> WithAdminKey(IReadOnlyDictionary<string, string?> settings) =>
        settings.ContainsKey(Setting) ? settings : new Dictionary<string, string?>(settings) { [Setting] = Admin };
}
