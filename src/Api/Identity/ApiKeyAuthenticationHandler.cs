using System.Text.Encodings.Web;
using Actors.Grains.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Orleans;

namespace Actors.Api.Identity;

/// <summary>
/// Authenticates the x-api-key header against the user directory (every request asks it, so a revoked key is refused
/// at once). Failures count against the caller's address (<see cref="FailedAuthLimiter"/>); answers are problem
/// details: 401 without a valid key, 429 when the address has failed too often, 403 when the key's user lacks the role.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, IGrainFactory grains, FailedAuthLimiter limiter)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    const string Throttled = "actors.auth-throttled";
    const string Failure = "actors.auth-failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeys.Header, out var presented)) return AuthenticateResult.NoResult();
        string address = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (limiter.IsBlocked(address))
        {
            Context.Items[Throttled] = true;
            return AuthenticateResult.Fail("too many failed authentications from this address");
        }
        var parsed = ApiKeys.Parse(presented.ToString());
        var user = parsed is { } key
            ? await grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key).AuthenticateAsync(key.KeyId, ApiKeys.Hash(key.Secret))
            : null;
        if (user is null)
        {
            if (!limiter.RecordFailure(address)) Context.Items[Throttled] = true;
            Context.Items[Failure] = parsed is null ? "the x-api-key header is not an API key (ak_<id>_<secret>)" : "the API key is unknown or revoked";
            return AuthenticateResult.Fail((string)Context.Items[Failure]!);
        }
        return AuthenticateResult.Success(new AuthenticationTicket(ActorsClaims.Principal(user, parsed!.Value.KeyId, SchemeName), SchemeName));
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
