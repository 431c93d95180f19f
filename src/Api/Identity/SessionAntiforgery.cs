using Microsoft.AspNetCore.Antiforgery;

namespace Actors.Api.Identity;

/// <summary>
/// JSON writes under /api made with the session cookie — a browser, which sends the cookie whoever made the page —
/// must carry the anti-forgery token in the RequestVerificationToken header (dashboard.js sends the one its page was
/// rendered with); without a valid one they are refused with a 400 problem before reaching the route. Calls with an API
/// key carry their credential explicitly and are not checked. Forms (/sign-in) are checked by ASP.NET's own
/// antiforgery middleware.
/// </summary>
public sealed class SessionAntiforgery(RequestDelegate next, IAntiforgery antiforgery)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (NeedsToken(http))
        {
            try { await antiforgery.ValidateRequestAsync(http); }
            catch (AntiforgeryValidationException)
            {
                await TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Anti-forgery token missing or invalid",
                    detail: "a write made with the session cookie needs the anti-forgery token of a dashboard page in the RequestVerificationToken header")
                    .ExecuteAsync(http);
                return;
            }
        }
        await next(http);
    }

    static bool NeedsToken(HttpContext http) =>
        !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method) || HttpMethods.IsTrace(http.Request.Method))
        && http.Request.Path.StartsWithSegments("/api")
        && !http.Request.Headers.ContainsKey(ApiKeys.Header)
        && http.User.Identity is { IsAuthenticated: true, AuthenticationType: IdentityServiceExtensions.SessionScheme };
}
