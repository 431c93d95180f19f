using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;

namespace Actors.Vision.Tokenization;

/// <summary>
/// The individual fixes of ftfy 6.3 that fix_text applies by default (ftfy.fixes; behaviour from ftfy's
/// documentation and test data, written anew here). Each is a plain string → string function.
/// </summary>
internal static partial class TextFixes
{
    /// <summary>
    /// ftfy.fixes.unescape_html: only references that end in ';' — HTML5 names, ftfy's upper-cased names
    /// ("&amp;EACUTE;"), and numeric references whose html.unescape holds no ';' — so "this&amp;not that" stays.
    /// </summary>
    public static string UnescapeHtml(string text) => text.Contains('&') ? EntityPattern().Replace(text, m =>
    {
        string name = m.Value[1..];
        if (HtmlEntityTable.Html5.TryGetValue(name, out var value) || HtmlEntityTable.UpperCase.TryGetValue(name, out value))
            return value;
        if (name[0] != '#') return m.Value;
        string decoded = PythonHtml.Unescape(m.Value);
        return decoded.Contains(';') ? m.Value : decoded;
    }) : text;

    [GeneratedRegex("&#?[0-9A-Za-z]{1,24};")]
    private static partial Regex EntityPattern();

    /// <summary>ftfy.fixes.fix_c1_controls: U+0080–U+009F read as Windows-1252, as browsers do.</summary>
    public static string FixC1Controls(string text) => Map(text, c => c is >= '\u0080' and <= '\u009F' ? Windows1252.C1(c).ToString() : null);

    /// <summary>ftfy.fixes.fix_latin_ligatures (chardata.LIGATURES): Latin ligatures and legacy digraphs spelled out.</summary>
    public static string FixLatinLigatures(string text) => Map(text, c => Ligatures.GetValueOrDefault(c));

    static readonly FrozenDictionary<char, string> Ligatures = new Dictionary<char, string>
    {
        ['Ĳ'] = "IJ", ['ĳ'] = "ij", ['ŉ'] = "ʼn",
        ['Ǳ'] = "DZ", ['ǲ'] = "Dz", ['ǳ'] = "dz", ['Ǆ'] = "DŽ", ['ǅ'] = "Dž", ['ǆ'] = "dž",
        ['Ǉ'] = "LJ", ['ǈ'] = "Lj", ['ǉ'] = "lj", ['Ǌ'] = "NJ", ['ǋ'] = "Nj", ['ǌ'] = "nj",
        ['ﬀ'] = "ff", ['ﬁ'] = "fi", ['ﬂ'] = "fl", ['ﬃ'] = "ffi", ['ﬄ'] = "ffl", ['ﬅ'] = "ſt", ['ﬆ'] = "st",
    }.ToFrozenDictionary();

    /// <summary>
    /// ftfy.fixes.fix_character_width (chardata.WIDTH_MAP): each of U+FF01–U+FFEF whose NFKC form differs becomes
    /// that form (full-width ASCII, half-width katakana and Hangul), and the ideographic space U+3000 a space.
    /// </summary>
    public static string FixCharacterWidth(string text) => Map(text, c => c == '\u3000' ? " " : c is >= '\uFF01' and <= '\uFFEF' ? Width[c - 0xFF01] : null);

    static readonly string?[] Width = Enumerable.Range(0xFF01, 0xFFEF - 0xFF01 + 1).Select(cp =>
    {
        string s = ((char)cp).ToString(), nfkc = s.Normalize(NormalizationForm.FormKC);
        return nfkc == s ? null : nfkc;
    }).ToArray();

    /// <summary>ftfy.fixes.uncurl_quotes: U+02BC and U+2018–U+201B → ', U+201C–U+201F → ".</summary>
    public static string UncurlQuotes(string text) =>
        Map(text, c => c is '\u02BC' or >= '\u2018' and <= '\u201B' ? "'" : c is >= '\u201C' and <= '\u201F' ? "\"" : null);

    /// <summary>ftfy.fixes.fix_line_breaks: CRLF, CR, U+2028, U+2029 and NEL become "\n".</summary>
    public static string FixLineBreaks(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n')
        .Replace('\u2028', '\n').Replace('\u2029', '\n').Replace('\u0085', '\n');

    /// <summary>ftfy.fixes.fix_surrogates: a surrogate without its partner becomes U+FFFD (pairs are already
    /// characters in UTF-16, which is what ftfy makes of them).</summary>
    public static string FixSurrogates(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF')) return text;
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes()) sb.Append(rune.ToString());   // lone surrogates enumerate as U+FFFD
        return sb.ToString();
    }

    /// <summary>ftfy.fixes.remove_terminal_escapes: ANSI "ESC [ digits/; letter" sequences.</summary>
    public static string RemoveTerminalEscapes(string text) => text.Contains('\u001B') ? AnsiPattern().Replace(text, "") : text;

    // \d is any Unicode decimal digit in .NET, as in Python's str patterns.
    [GeneratedRegex("\u001B\\[((?:\\d|;)*)([a-zA-Z])")]
    private static partial Regex AnsiPattern();

    /// <summary>
    /// ftfy.fixes.remove_control_chars: U+0000–U+0008, U+000B, U+000E–U+001F, U+007F, U+206A–U+206F, U+FEFF and
    /// U+FFF9–U+FFFC; tab, LF, FF, CR, C1 controls, joiners and bidi controls stay.
    /// </summary>
    public static string RemoveControlChars(string text) => Map(text, c =>
        c is <= '\u0008' or '\u000B' or >= '\u000E' and <= '\u001F' or '\u007F' or >= '\u206A' and <= '\u206F' or '\uFEFF' or >= '\uFFF9' and <= '\uFFFC'
            ? "" : null);

    /// <summary>Replaces each UTF-16 unit for which <paramref name="replace"/> gives a string; null keeps it.</summary>
    static string Map(string text, Func<char, string?> replace)
    {
        StringBuilder? sb = null;
        for (int i = 0; i < text.Length; i++)
        {
            var r = replace(text[i]);
            if (r is null) { sb?.Append(text[i]); continue; }
            sb ??= new StringBuilder(text.Length).Append(text, 0, i);
            sb.Append(r);
        }
        return sb?.ToString() ?? text;
    }
}
