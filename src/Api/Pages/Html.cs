using System.Globalization;
using System.Net;

namespace Actors.Api.Pages;

/// <summary>
/// The few helpers pages write HTML with. Every value that comes from data (ids, labels, paths, user names, texts)
/// goes through <see cref="E"/>, in text and attribute values alike; only sanitized note HTML is written as it is.
/// </summary>
internal static class Html
{
    /// <summary>HTML-encoded text (&lt; &gt; &amp; " ' all encoded, so it is safe in quoted attributes too).</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A path segment (an id) for a link, then HTML-encoded.</summary>
    public static string Seg(string segment) => E(Uri.EscapeDataString(segment));

    public static string Num(double value, string format = "G4") =>
        double.IsFinite(value) ? E(value.ToString(format, CultureInfo.InvariantCulture)) : "–";

    public static string Num(double? value, string format = "G4") => value is { } v ? Num(v, format) : "–";

    public static string Int(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => Num(100 * fraction, "0.###") + " %";

    public static string When(DateTimeOffset? at) => at is { } t
        ? $"<time datetime=\"{E(t.ToString("O", CultureInfo.InvariantCulture))}\">{E(t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))} UTC</time>"
        : "–";

    /// <summary>An enum value as pages and the JSON API name it (lower case).</summary>
    public static string Name<T>(T value) where T : struct, Enum => E(value.ToString().ToLowerInvariant());

    /// <summary>A table in a scrolling container (wide tables scroll on a phone instead of widening the page).</summary>
    public static string Table(string caption, string[] headers, IEnumerable<string[]> rows, string? empty = null)
    {
        var body = rows.Select(r => "<tr>" + string.Concat(r.Select((cell, i) => i == 0 ? $"<th scope=\"row\">{cell}</th>" : $"<td>{cell}</td>")) + "</tr>").ToList();
        if (body.Count == 0) return $"<p class=\"empty\">{E(empty ?? "None yet.")}</p>";
        return $"""
            <div class="table-scroll" tabindex="0" role="region" aria-label="{E(caption)}"><table>
            <caption>{E(caption)}</caption>
            <thead><tr>{string.Concat(headers.Select(h => $"<th scope=\"col\">{E(h)}</th>"))}</tr></thead>
            <tbody>{string.Concat(body)}</tbody></table></div>
            """;
    }
}
