using Actors.Api.Identity;

namespace Actors.Api.Pages;

/// <summary>A link in a page's breadcrumb trail.</summary>
internal sealed record Crumb(string Text, string? Href = null);

/// <summary>
/// The shared frame of every dashboard page: navigation, the signed-in user, sign-out, the anti-forgery token for
/// dashboard.js, one stylesheet and one script (no inline script or style, so the page's CSP forbids both).
/// </summary>
internal static class PageLayout
{
    const string Policy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
                          "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static IResult Page(PageRequest page, string title, Crumb[] trail, string body, int status = StatusCodes.Status200OK)
    {
        var headers = page.Http.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        string crumbs = string.Join(" <span aria-hidden=\"true\">/</span> ", trail.Select(c =>
            c.Href is null ? $"<span aria-current=\"page\">{Html.E(c.Text)}</span>" : $"<a href=\"{Html.E(c.Href)}\">{Html.E(c.Text)}</a>"));
        string user = page.User.NameOf() + (page.User.IsAdmin() ? " (admin)" : "");
        string html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Html.E(title)} · CLIP latent observatory</title>
            <meta name="request-verification-token" content="{Html.E(page.RequestToken)}">
            <link rel="stylesheet" href="{DashboardAssets.StylesheetUrl}">
            <script src="{DashboardAssets.ScriptUrl}" defer></script>
            </head><body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="site"><nav aria-label="Dashboard">
              <a class="brand" href="/">CLIP latent observatory</a>
              <a href="/">Overview</a><a href="/jobs">Jobs</a><a href="/investigations">Investigations</a>
            </nav>
            <form method="post" action="/sign-out" class="sign-out">{page.TokenField}<span class="who">{Html.E(user)}</span> <button type="submit">Sign out</button></form>
            </header>
            <main id="main">
            <nav aria-label="Breadcrumb" class="crumbs">{crumbs}</nav>
            {body}
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>A page saying what was not found (or refused), with the status code.</summary>
    public static IResult Problem(PageRequest page, int status, string title, string detail) =>
        Page(page, title, [new("Overview", "/"), new(title)],
            $"<h1>{Html.E(title)}</h1><p role=\"alert\">{Html.E(detail)}</p>", status);
}
