using System.Diagnostics;
using System.Globalization;

namespace Actors.Api.Pages;

/// <summary>
/// The web dashboard, served by the API process: server-rendered HTML pages over the same grains and handlers as the
/// JSON API, one stylesheet and one script. Pages need a signed-in user like every route (a browser without a session
/// is sent to /sign-in). Each page states its server time in Server-Timing ("render").
/// </summary>
public static class DashboardPages
{
    public static IEndpointRouteBuilder MapDashboardPages(this IEndpointRouteBuilder app)
    {
        app.MapDashboardAssets();
        var pages = app.MapGroup("").ExcludeFromDescription().AddEndpointFilter(ServerTimingAsync);
        pages.MapGet("/", OverviewPage.RenderAsync);
        pages.MapGet("/saes/{saeId}/latents", LatentExplorerPage.RenderAsync);
        pages.MapGet("/saes/{saeId}/latents/{latent:int}", LatentDetailPage.RenderAsync);
        pages.MapGet("/corpora/{id}", CorpusPage.RenderAsync);
        pages.MapGet("/jobs", JobsPage.RenderAsync);
        pages.MapGet("/jobs/{id}", JobPage.RenderAsync);
        pages.MapGet("/investigations", InvestigationsPage.RenderAsync);
        pages.MapGet("/investigations/{id}", InvestigationPage.RenderAsync);
        return app;
    }

    /// <summary>The handler's time (grain reads and rendering; not sending the bytes) as Server-Timing: render;dur=ms.</summary>
    static async ValueTask<object?> ServerTimingAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        long start = Stopwatch.GetTimestamp();
        var result = await next(context);
        context.HttpContext.Response.Headers["Server-Timing"] =
            "render;dur=" + Stopwatch.GetElapsedTime(start).TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture);
        return result;
    }
}
