using System.Security.Cryptography;

namespace Actors.Api.Pages;

/// <summary>
/// The dashboard's one stylesheet and one script, embedded in this assembly (no build step, no CDN). Their URLs carry a
/// hash of their bytes, so they can be cached for a year and a new build is fetched at once.
/// </summary>
internal static class DashboardAssets
{
    static readonly (byte[] Bytes, string Version) Css = Load("dashboard.css"), Js = Load("dashboard.js");

    public static string StylesheetUrl => $"/assets/dashboard.css?v={Css.Version}";
    public static string ScriptUrl => $"/assets/dashboard.js?v={Js.Version}";

    public static IEndpointRouteBuilder MapDashboardAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/dashboard.css", (HttpContext http) => Serve(http, Css.Bytes, "text/css; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/assets/dashboard.js", (HttpContext http) => Serve(http, Js.Bytes, "text/javascript; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    static IResult Serve(HttpContext http, byte[] bytes, string contentType)
    {
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(bytes, contentType);
    }

    static (byte[], string) Load(string name)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream($"Actors.Api.Pages.Assets.{name}")
            ?? throw new InvalidOperationException($"the dashboard asset {name} is not embedded in {typeof(DashboardAssets).Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return (bytes, Convert.ToHexString(SHA256.HashData(bytes))[..12].ToLowerInvariant());
    }
}
