using System.Collections.Frozen;
using System.Text.Json;

namespace Actors.Vision.Tokenization;

/// <summary>
/// The named character references of HTML5 as Python's html.entities.html5 holds them (names with and without
/// ';'), and the upper-cased names ftfy's unescape_html also decodes ("&amp;EACUTE;" → "É"). Generated into an
/// embedded resource by tests/fixtures-src/tokenizer/make_html_entities.py.
/// </summary>
internal static class HtmlEntityTable
{
    static readonly Lazy<(FrozenDictionary<string, string> Html5, FrozenDictionary<string, string> UpperCase)> Tables = new(Load);

    /// <summary>"amp;" → "&amp;", "amp" → "&amp;", "notin;" → "∉", …: the key has no leading '&amp;'.</summary>
    public static FrozenDictionary<string, string> Html5 => Tables.Value.Html5;

    /// <summary>ftfy's extra names ("SZLIG;" → "SS"); all end in ';'.</summary>
    public static FrozenDictionary<string, string> UpperCase => Tables.Value.UpperCase;

    /// <summary>The longest name in <see cref="Html5"/> (32 with its ';'), bounding html.unescape's search.</summary>
    public const int LongestName = 32;

    static (FrozenDictionary<string, string>, FrozenDictionary<string, string>) Load()
    {
        using var stream = typeof(HtmlEntityTable).Assembly.GetManifestResourceStream("Actors.Vision.Tokenization.html_entities.json")
            ?? throw new InvalidOperationException("embedded resource html_entities.json is missing");
        using var doc = JsonDocument.Parse(stream);
        FrozenDictionary<string, string> Read(string name) => doc.RootElement.GetProperty(name).EnumerateObject()
            .ToFrozenDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        return (Read("html5"), Read("upper_case"));
    }
}
