using Actors.Grains.Investigations;
using Orleans;

namespace Actors.Api.Pages;

/// <summary>The investigations the caller is a member of, and a form that starts one (POST /api/investigations; the caller becomes its owner).</summary>
internal static class InvestigationsPage
{
    public static async Task<IResult> RenderAsync(HttpContext http, IGrainFactory grains)
    {
        var page = PageRequest.Of(http);
        var mine = page.UserId is null ? [] : await grains.GetGrain<IInvestigationIndexGrain>(IInvestigationIndexGrain.Key).ListForAsync(page.UserId);
        string body = $"""
            <h1>Investigations</h1>
            <section aria-labelledby="mine"><h2 id="mine">Yours</h2>{Table(mine)}</section>
            <section aria-labelledby="start"><h2 id="start">Start an investigation</h2>
            <form class="stack" data-api="/api/investigations" data-method="POST" data-then="page">
              {page.TokenField}
              <label for="title">Title</label><input id="title" name="title" required maxlength="200">
              <label for="description">Description</label><textarea id="description" name="description"></textarea>
              <div><button type="submit">Start investigation</button></div>
              <p class="form-error" role="alert" hidden></p>
            </form></section>
            """;
        return PageLayout.Page(page, "Investigations", [new("Overview", "/"), new("Investigations")], body);
    }

    public static string Table(IEnumerable<InvestigationSummary> investigations) => Html.Table("Investigations you are a member of",
        ["Investigation", "Members"],
        investigations.OrderBy(i => i.Title, StringComparer.OrdinalIgnoreCase).Select(i => new[]
        {
            $"<a href=\"/investigations/{Html.Seg(i.InvestigationId)}\">{Html.E(i.Title)}</a>", Html.Int(i.MemberIds.Length),
        }), "You are not a member of any investigation yet.");
}
