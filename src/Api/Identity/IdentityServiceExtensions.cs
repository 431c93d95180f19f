using Actors.Grains.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans;

namespace Actors.Api.Identity;

public static class IdentityServiceExtensions
{
    public const string SessionScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    const string EitherScheme = "ApiKeyOrSession";

    /// <summary>
    /// Who is calling (section "Auth"): an API key in x-api-key, or the session cookie the sign-in page issues for a key
    /// (secure, HttpOnly, SameSite=Strict; forms carry anti-forgery tokens). Every route needs one unless it says
    /// otherwise; admin routes need the admin role. The first start creates the first admin (<see cref="AdminBootstrap"/>).
    /// </summary>
    public static IHostApplicationBuilder AddActorsIdentity(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        if (options.BootstrapAdminKey is { } configured) ApiKeys.FromConfigured(configured, "Auth:BootstrapAdminKey");   // fail at start, not later
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<FailedAuthLimiter>();
        services.AddSingleton<ApiKeyCheck>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddAuthentication(EitherScheme)
            .AddPolicyScheme(EitherScheme, "API key or session", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.ContainsKey(ApiKeys.Header) ? ApiKeyAuthenticationHandler.SchemeName
                : http.Request.Cookies.ContainsKey(SessionCookie) ? SessionScheme
                : http.Request.Path.StartsWithSegments("/api") ? ApiKeyAuthenticationHandler.SchemeName
                : SessionScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(SessionScheme, o =>
            {
                o.Cookie.Name = SessionCookie;
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.LoginPath = "/sign-in";
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
                // API calls made with a session answer 401/403 problems, not a redirect to the sign-in page.
                o.Events.OnRedirectToLogin = http => ApiOrRedirect(http, StatusCodes.Status401Unauthorized, "Not authenticated");
                o.Events.OnRedirectToAccessDenied = http => ApiOrRedirect(http, StatusCodes.Status403Forbidden, "Forbidden");
            });
        services.AddAuthorization(o =>
        {
            o.FallbackPolicy = new AuthorizationPolicyBuilder().AddRequirements(new AnonymousReadRequirement(options.AnonymousReads)).Build();
            o.AddPolicy(ActorsClaims.AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(ActorsClaims.AdminRole));
        });
        // The anti-forgery cookie only pairs with the form's token; ASP.NET refuses to issue it over plain HTTP when marked
        // Always, and the loopback default serves HTTP. The session cookie is always Secure (browsers keep Secure cookies
        // of http://localhost and 127.0.0.1, which they treat as secure contexts).
        // Dashboard scripts send the token of their page in this header (see SessionAntiforgery).
        services.AddAntiforgery(o =>
        {
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; o.Cookie.SameSite = SameSiteMode.Strict; o.Cookie.HttpOnly = true;
            o.HeaderName = "RequestVerificationToken";
        });
        services.AddSingleton<AdminBootstrap>();   // ApiKeyCheck waits for it
        services.AddHostedService(sp => sp.GetRequiredService<AdminBootstrap>());
        return builder;
    }

    public const string SessionCookie = "actors.session";

    public static WebApplication UseActorsIdentity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseMiddleware<AuditMiddleware>();   // before authorization, so refused writes are logged too
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseMiddleware<SessionAntiforgery>();   // JSON writes with the session cookie carry the page's token
        return app;
    }

    /// <summary>A session stays valid only while the key it was opened with is (revocation takes effect at once).</summary>
    static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        string? keyId = context.Principal?.FindFirst(ActorsClaims.KeyId)?.Value;
        var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
        var key = keyId is null ? null : await grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key).GetKeyAsync(keyId);
        if (key is null || key.RevokedAt is not null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SessionScheme);
        }
    }

    static Task ApiOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status, string title)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        return TypedResults.Problem(statusCode: status, title: title,
            detail: status == 401 ? "the session has ended or its key was revoked; sign in again" : $"user '{context.HttpContext.User.NameOf()}' lacks the role this route needs")
            .ExecuteAsync(context.HttpContext);
    }
}
