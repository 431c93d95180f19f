using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Actors.Api.Identity;

/// <summary>
/// Authenticates the x-api-key header (<see cref="ApiKeyCheck"/>: the user directory is asked on every request, so a
/// revoked key is refused at once, and failures count against the caller's address); answers are problem details:
/// 401 without a valid key, 429 when the address has failed too often, 403 when the key's user lacks the role.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, ApiKeyCheck keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    const string Throttled = "actors.auth-throttled";
    const string Failure = "actors.auth-failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeys.Header, out var presented)) return AuthenticateResult.NoResult();
        var check = await keys.CheckAsync(presented.ToString(), Context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (check.User is { } user) return AuthenticateResult.Success(new AuthenticationTicket(ActorsClaims.Principal(user, check.KeyId!, SchemeName), SchemeName));
        if (check.Refusal == KeyRefusal.Throttled || check.NowThrottled) Context.Items[Throttled] = true;
        Context.Items[Failure] = check.Refusal switch
        {
            KeyRefusal.Throttled => "too many failed authentications from this address",
            KeyRefusal.NotAKey => "the x-api-key header is not an API key (ak_<id>_<secret>)",
            _ => "the API key is unknown or revoked",
        };
        return AuthenticateResult.Fail((string)Context.Items[Failure]!);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(Throttled))
        {
            Response.Headers.RetryAfter = "60";
            return Problem(StatusCodes.Status429TooManyRequests, "Too many failed authentications",
                "this address has failed to authenticate too often; try again in a minute");
        }
        string detail = Context.Items[Failure] as string ?? $"this route needs an API key in the {ApiKeys.Header} header (or a signed-in session)";
        return Problem(StatusCodes.Status401Unauthorized, "Not authenticated", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problem(StatusCodes.Status403Forbidden, "Forbidden", $"user '{Context.User.NameOf()}' lacks the role this route needs");

    Task Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(Context);
}
