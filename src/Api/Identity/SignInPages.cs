using Actors.Api.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Actors.Api.Identity;

/// <summary>
/// The web sign-in: a form that exchanges an API key for the session cookie (anti-forgery token checked), and sign-out.
/// </summary>
public static class SignInPages
{
    public static IEndpointRouteBuilder MapSignInPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sign-in", Form).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/sign-in", SignInAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/sign-out", (Delegate)SignOutAsync).ExcludeFromDescription();
        return app;
    }

    static IResult Form(HttpContext http, IAntiforgery antiforgery, string? error = null, string? returnUrl = null) =>
        Results.Content(Page(antiforgery.GetAndStoreTokens(http), error, returnUrl), "text/html; charset=utf-8");

    static async Task<IResult> SignInAsync(HttpContext http, [FromForm] string? key, [FromForm] string? returnUrl, ApiKeyCheck keys,
        IAntiforgery antiforgery)
    {
        var check = await keys.CheckAsync(key?.Trim(), http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (check.Refusal == KeyRefusal.Throttled)
            return Results.Problem(statusCode: 429, title: "Too many failed authentications", detail: "try again in a minute");
        if (check.User is not { } user)
        {
            return Results.Content(Page(antiforgery.GetAndStoreTokens(http), "That key is unknown or revoked.", returnUrl), "text/html; charset=utf-8",
                statusCode: StatusCodes.Status401Unauthorized);
        }
        await http.SignInAsync(IdentityServiceExtensions.SessionScheme,
            ActorsClaims.Principal(user, check.KeyId!, IdentityServiceExtensions.SessionScheme));
        return Results.LocalRedirect(returnUrl is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//") ? r : "/");
    }

    static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(IdentityServiceExtensions.SessionScheme);
        return Results.LocalRedirect("/sign-in");
    }

    static string Page(AntiforgeryTokenSet tokens, string? error, string? returnUrl) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sign in · CLIP latent observatory</title>
        <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}label,input,button{display:block;width:100%;margin:.4rem 0}input{padding:.5rem;font-family:monospace}.error{color:#b00020}</style>
        </head><body><main>
        <h1>Sign in</h1>
        {{(error is null ? "" : $"<p class=\"error\" role=\"alert\">{Html.E(error)}</p>")}}
        <form method="post" action="/sign-in">
          <input type="hidden" name="{{tokens.FormFieldName}}" value="{{Html.E(tokens.RequestToken)}}">
          <input type="hidden" name="returnUrl" value="{{Html.E(returnUrl ?? "/")}}">
          <label for="key">API key</label>
          <input id="key" name="key" type="password" autocomplete="off" required placeholder="ak_…">
          <button type="submit">Sign in</button>
        </form>
        </main></body></html>
        """;
}
