using Ganss.Xss;
using Markdig;

namespace Actors.Api.Identity;

/// <summary>
/// Notes are Markdown, shown as HTML: Markdig renders with raw HTML disabled, then HtmlSanitizer keeps only safe tags
/// and attributes (no script, no event handlers, no javascript: URLs) — two independent layers, so a bypass of one is
/// caught by the other.
/// </summary>
public static class NoteRenderer
{
    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().Build();
    static readonly HtmlSanitizer Sanitizer = new();

    public static string ToSafeHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));
}
