using Actors.Grains.Investigations;

namespace Actors.Api.Pages;

/// <summary>
/// One listed item of an investigation as the investigation page and the latent page show it: its notes (HTML that was
/// rendered from Markdown and sanitized when the note was added; a note a retraining carried from an ancestor latent
/// says from which, with the match score), the votes on its labels, and — for editors and owners
/// only — the forms that add a note or a vote through the investigations API (If-Match: the version the page shows).
/// </summary>
internal static class InvestigationItemHtml
{
    public static string Render(PageRequest page, InvestigationView investigation, InvestigationItem item, IEnumerable<string> labels)
    {
        var role = investigation.RoleOf(page.UserId);
        bool canEdit = role >= InvestigationRole.Editor;
        string notes = item.Notes.Length == 0 ? "<p class=\"empty\">No notes yet.</p>"
            : string.Concat(item.Notes.Select(n => $"""
                <article class="note" id="note-{Html.E(n.NoteId)}"><p class="by">{Html.E(n.AuthorName)} · {Html.When(n.CreatedAt)}{Carried(n.CarriedFrom)}</p>{n.Html}</article>
                """));
        var tally = item.Votes.GroupBy(v => v.Label, StringComparer.Ordinal)
            .Select(g => $"{Html.E(g.Key)}: +{g.Count(v => v.Value > 0)} / −{g.Count(v => v.Value < 0)}").ToArray();
        string votes = item.Kind != "latent" ? "" : tally.Length == 0 ? "<p class=\"votes empty\">No votes on labels yet.</p>"
            : $"<p class=\"votes\">Votes on labels: {string.Join("; ", tally)}</p>";
        string etag = Html.E($"\"v{investigation.Version}\"");
        string api = $"/api/investigations/{Html.Seg(investigation.InvestigationId)}/items/{Html.Seg(item.ItemId)}";
        string forms = !canEdit
            ? $"<p class=\"muted\">{(role is { } r ? $"You are a {Html.Name(r)} of this investigation" : "You are not a member of this investigation")}: you can read its notes but not add to them.</p>"
            : $"""
                <form class="stack note-form" data-api="{api}/notes" data-method="POST" data-etag="{etag}">
                  {page.TokenField}
                  <label for="note-{Html.E(item.ItemId)}">Add a note (Markdown)</label>
                  <textarea id="note-{Html.E(item.ItemId)}" name="markdown" required maxlength="20000"></textarea>
                  <div><button type="submit">Add note</button></div>
                  <p class="form-error" role="alert" hidden></p>
                </form>
                {(item.Kind == "latent" ? VoteForm(page, api, etag, item.ItemId, labels) : "")}
                """;
        return notes + votes + forms;
    }

    /// <summary>Where a note carried by a retraining came from (its author and time above are the original's).</summary>
    static string Carried(CarriedNote? from) => from is null ? "" : $"""
         · <span class="carried">carried from <a href="/saes/{Html.Seg(from.SaeId)}/latents/{from.Latent}">{Html.E(from.SaeId)}/{from.Latent}</a> (match {Html.Num(from.MatchScore, "0.00")})</span>
        """;

    static string VoteForm(PageRequest page, string api, string etag, string itemId, IEnumerable<string> labels)
    {
        string list = $"labels-{Html.E(itemId)}";
        return $"""
            <form class="inline vote-form" data-api="{api}/votes" data-method="POST" data-etag="{etag}" data-numbers="value">
              {page.TokenField}
              <label>Label <input name="label" list="{list}" required maxlength="200"></label>
              <datalist id="{list}">{string.Concat(labels.Select(l => $"<option value=\"{Html.E(l)}\">"))}</datalist>
              <button type="submit" name="value" value="1">Agree (+1)</button>
              <button type="submit" name="value" value="-1">Disagree (−1)</button>
              <p class="form-error" role="alert" hidden></p>
            </form>
            """;
    }
}
