using System.Security.Claims;

namespace Actors.Api.Identity;

/// <summary>The claims a signed-in caller carries, and reading them back.</summary>
public static class ActorsClaims
{
    public const string UserId = "sub";
    public const string Name = "name";
    public const string KeyId = "key";
    public const string AdminRole = "admin";
    public const string AdminPolicy = "admin";

    public static string? UserIdOf(this ClaimsPrincipal user) => user.FindFirst(UserId)?.Value;
    public static string NameOf(this ClaimsPrincipal user) => user.FindFirst(Name)?.Value ?? "anonymous";
    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminRole);

    public static ClaimsPrincipal Principal(Actors.Grains.Identity.UserRecord user, string keyId, string scheme)
    {
        var claims = new List<Claim> { new(UserId, user.UserId), new(Name, user.Name), new(KeyId, keyId) };
        if (user.IsAdmin) claims.Add(new Claim(ClaimTypes.Role, AdminRole));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, Name, ClaimTypes.Role));
    }
}
