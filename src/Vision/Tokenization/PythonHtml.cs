using System.Text;

namespace Actors.Vision.Tokenization;

/// <summary>
/// Python's html.unescape, which CLIP's basic_clean applies twice (OpenAI simple_tokenizer, OpenCLIP tokenizer).
/// It follows HTML5's character-reference rules, unlike .NET's WebUtility.HtmlDecode: every HTML5 entity name,
/// legacy names without ';' ("&amp;not" in "this&amp;not that" becomes "¬"), the longest known prefix of an unknown
/// name ("&amp;notit;" → "¬it;"), numeric references without ';', and the replacements for invalid numbers (0 and
/// surrogates → U+FFFD, 0x80–0x9F read as Windows-1252, non-characters and most controls dropped).
/// </summary>
public static class PythonHtml
{
    public static string Unescape(string text)
    {
        int amp = text.IndexOf('&');
        if (amp < 0) return text;
        var sb = new StringBuilder(text.Length);
        sb.Append(text, 0, amp);
        int i = amp;
        while (i < text.Length)
        {
            char c = text[i];
            if (c != '&') { sb.Append(c); i++; continue; }
            int end = i + 1 < text.Length && text[i + 1] == '#' ? Numeric(text, i, sb) : Named(text, i, sb);
            if (end == i) { sb.Append('&'); i++; }
            else i = end;
        }
        return sb.ToString();
    }

    // "&#123;" / "&#x7B;", ';' optional. Returns where the reference ends, or start when there is none.
    static int Numeric(string text, int start, StringBuilder sb)
    {
        int k = start + 2;
        bool hex = k < text.Length && (text[k] == 'x' || text[k] == 'X');
        if (hex) k++;
        int digits = k;
        while (k < text.Length && (hex ? char.IsAsciiHexDigit(text[k]) : char.IsAsciiDigit(text[k]))) k++;
        if (k == digits) return start;
        long value = 0;   // saturates: anything past U+10FFFF is replaced the same way
        foreach (char d in text.AsSpan(digits, k - digits))
            value = Math.Min(value * (hex ? 16 : 10) + (d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10), 0x110000);
        if (k < text.Length && text[k] == ';') k++;
        sb.Append(CodePointReference((int)value));
        return k;
    }

    /// <summary>HTML5's numeric character reference end state, as html._replace_charref applies it.</summary>
    internal static string CodePointReference(int value)
    {
        if (value == 0) return "\uFFFD";
        if (value == 0x0D) return "\r";
        if (value is >= 0x80 and <= 0x9F) return Windows1252.C1(value).ToString();
        if (value is >= 0xD800 and <= 0xDFFF || value > 0x10FFFF) return "\uFFFD";
        if (value is >= 0x01 and <= 0x08 or 0x0B or >= 0x0E and <= 0x1F or 0x7F or >= 0xFDD0 and <= 0xFDEF
            || (value & 0xFFFE) == 0xFFFE)
            return "";
        return char.ConvertFromUtf32(value);
    }

    // A name of up to 32 characters other than tab, LF, FF, space, '<', '&', '#', ';', then an optional ';'.
    static int Named(string text, int start, StringBuilder sb)
    {
        int k = start + 1;
        while (k < text.Length && k - start - 1 < HtmlEntityTable.LongestName && text[k] is not ('\t' or '\n' or '\f' or ' ' or '<' or '&' or '#' or ';'))
            k++;
        if (k == start + 1) return start;
        if (k < text.Length && text[k] == ';') k++;
        string name = text[(start + 1)..k];
        var html5 = HtmlEntityTable.Html5;
        if (html5.TryGetValue(name, out var value)) { sb.Append(value); return k; }
        for (int x = name.Length - 1; x > 1; x--)
            if (html5.TryGetValue(name[..x], out value)) { sb.Append(value).Append(name, x, name.Length - x); return k; }
        sb.Append('&').Append(name);
        return k;
    }
}

/// <summary>What bytes 0x80–0x9F mean in Windows-1252; the five it leaves undefined stay themselves (as in HTML5's
/// table and ftfy's "sloppy" codec).</summary>
internal static class Windows1252
{
    static readonly char[] High =
    [
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021', '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014', '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    ];

    /// <summary>The character Windows-1252 puts at C1 position <paramref name="value"/> (0x80–0x9F).</summary>
    public static char C1(int value) => High[value - 0x80];

    /// <summary>The byte 0x80–0x9F at which Windows-1252 (ftfy's sloppy variant) puts <paramref name="c"/>; −1 when it has none.</summary>
    public static int ByteOf(char c)
    {
        int i = Array.IndexOf(High, c);
        return i < 0 ? -1 : 0x80 + i;
    }
}
