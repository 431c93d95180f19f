using Actors.Api.Identity;
using Actors.Grains.Investigations;
using Actors.Grains.Registry;
using Orleans;

namespace Actors.Api.Pages;

/// <summary>
/// One investigation: members and roles, its listed latents, images and concepts with their notes and votes, pinned
/// evidence and watches. Members read it (admins may read any); editors get the forms that list latents and add notes
/// and votes, owners the member form. Every form writes through the investigations API with If-Match: the version shown.
/// </summary>
internal static class InvestigationPage
{
    public static async Task<IResult> RenderAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var page = PageRequest.Of(http);
        var investigation = await grains.GetGrain<IInvestigationGrain>(id).GetAsync();
        var role = investigation?.RoleOf(page.UserId);
        if (investigation is null || (role is null && !page.User.IsAdmin()))
            return PageLayout.Problem(page, 404, "Unknown investigation", $"no investigation '{id}' that you are a member of");
        // The SAEs are read only for the form that lists a latent, which editors alone see.
        string[] saes = role >= InvestigationRole.Editor ? await grains.GetGrain<IRegistryGrain>(IRegistryGrain.GlobalKey).ListAsync(RegistryKind.Sae) : [];
        string etag = Html.E($"\"v{investigation.Version}\"");
        string api = $"/api/investigations/{Html.Seg(id)}";
        string body = $"""
            <h1>{Html.E(investigation.Title)} <small>investigation {Html.E(id)}, version {investigation.Version}</small></h1>
            {(investigation.Description.Length == 0 ? "" : $"<p>{Html.E(investigation.Description)}</p>")}
            <p class="muted">Your role: {(role is { } r ? Html.Name(r) : "none (an admin reading it)")}.</p>
            <section aria-labelledby="members"><h2 id="members">Members</h2>
            {Html.Table("Members and their roles", ["Name", "User id", "Role"],
                investigation.Members.Select(m => new[] { Html.E(m.Name), $"<code>{Html.E(m.UserId)}</code>", Html.Name(m.Role) }))}
            {(role == InvestigationRole.Owner ? MemberForm(page, api, etag) : "")}</section>
            <section aria-labelledby="items"><h2 id="items">Latents, images and concepts</h2>
            {Items(page, investigation)}
            {(role >= InvestigationRole.Editor ? LatentForm(page, api, etag, saes) : "")}</section>
            <section aria-labelledby="evidence"><h2 id="evidence">Pinned evidence</h2>
            {Html.Table("Snapshots of results with what produced them", ["Title", "Kind", "SAE", "Latent", "Pinned by", "Pinned"],
                investigation.Evidence.Select(e => new[]
                {
                    e.JobId is null ? Html.E(e.Title) : $"<a href=\"/jobs/{Html.Seg(e.JobId)}\">{Html.E(e.Title)}</a>", Html.E(e.Kind), Html.E(e.SaeId ?? "–"),
                    e.Latent is null ? "–" : LatentLink(e.Latent), Html.E(e.PinnedBy), Html.When(e.PinnedAt),
                }), "Nothing pinned yet.")}</section>
            <section aria-labelledby="watches"><h2 id="watches">Watched latents</h2>
            {Html.Table("Latents watched from a baseline", ["Latent", "Watched by", "Since"],
                investigation.Watches.Select(w => new[] { LatentLink($"{w.SaeId}/{w.Latent}"), Html.E(w.UserId), Html.When(w.Baseline.At) }), "No watches.")}</section>
            """;
        return PageLayout.Page(page, investigation.Title, [new("Overview", "/"), new("Investigations", "/investigations"), new(investigation.Title)], body);
    }

    static string Items(PageRequest page, InvestigationView investigation) => investigation.Items.Length == 0
        ? "<p class=\"empty\">Nothing listed yet.</p>"
        : string.Concat(investigation.Items.Select(item => $"""
            <article class="item" id="item-{Html.E(item.ItemId)}"><h3>{(item.Kind == "latent" ? LatentLink(item.Ref) : $"{Html.E(item.Kind)} {Html.E(item.Ref)}")}</h3>
            <p class="muted">Listed by {Html.E(item.AddedBy)} {Html.When(item.AddedAt)}</p>
            {InvestigationItemHtml.Render(page, investigation, item, [])}</article>
            """));

    /// <summary>A link to the latent page of a "{sae}/{latent}" reference.</summary>
    static string LatentLink(string reference)
    {
        if (InvestigationItem.ParseLatentRef(reference) is not var (sae, latent)) return Html.E(reference);
        return $"<a href=\"/saes/{Html.Seg(sae)}/latents/{latent}\">latent {latent} of {Html.E(sae)}</a>";
    }

    static string MemberForm(PageRequest page, string api, string etag) => $"""
        <h3>Add a member or change a role</h3>
        <form class="inline member-form" data-api="{api}/members/{"{userId}"}" data-method="PUT" data-etag="{etag}">
          {page.TokenField}
          <label>User id <input name="userId" required maxlength="100"></label>
          <div class="field"><label for="member-role">Role</label><select id="member-role" name="role"><option>viewer</option><option>editor</option><option>owner</option></select></div>
          <button type="submit">Set role</button>
          <p class="form-error" role="alert" hidden></p>
        </form>
        """;

    static string LatentForm(PageRequest page, string api, string etag, string[] saes) => $"""
        <h3>List a latent</h3>
        <form class="inline latent-form" data-api="{api}/latents" data-method="POST" data-etag="{etag}" data-numbers="latent">
          {page.TokenField}
          <div class="field"><label for="latent-sae">SAE</label><select id="latent-sae" name="saeId">{string.Concat(saes.Select(s => $"<option>{Html.E(s)}</option>"))}</select></div>
          <label>Latent <input name="latent" type="number" min="0" required></label>
          <button type="submit">List latent</button>
          <p class="form-error" role="alert" hidden></p>
        </form>
        """;
}
