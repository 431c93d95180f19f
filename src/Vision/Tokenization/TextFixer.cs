using System.Text;

namespace Actors.Vision.Tokenization;

/// <summary>
/// Our equivalent of ftfy.fix_text with its default TextFixerConfig (ftfy 6.3), which OpenAI's and OpenCLIP's
/// tokenizers run first (simple_tokenizer.basic_clean). As ftfy does: the text is fixed line by line (segments end
/// after each "\n"); HTML entities are unescaped only until a segment holding '&lt;' is met (unescape_html "auto",
/// which then stays off for the rest of the text); each segment runs unescape_html, fix_encoding,
/// fix_c1_controls, fix_latin_ligatures, fix_character_width, uncurl_quotes, fix_line_breaks, fix_surrogates,
/// remove_terminal_escapes, remove_control_chars and NFC, repeated until nothing changes.
/// fix_encoding is our <see cref="Utf8Mojibake"/>: UTF-8 read as Windows-1252 or Latin-1 is repaired, as ftfy
/// repairs it; ftfy's other code pages and its whole-text badness scoring are not reproduced (see there).
/// </summary>
public static class TextFixer
{
    /// <summary>ftfy's max_decode_length: longer lines are fixed in pieces of this many characters.</summary>
    const int MaxSegment = 1_000_000;

    public static string FixText(string text)
    {
        var sb = new StringBuilder(text.Length);
        bool unescapeHtml = true;
        for (int pos = 0; pos < text.Length;)
        {
            int end = text.IndexOf('\n', pos) + 1;
            if (end == 0) end = text.Length;
            end = Math.Min(end, pos + MaxSegment);
            string segment = text[pos..end];
            if (segment.Contains('<')) unescapeHtml = false;
            sb.Append(FixSegment(segment, unescapeHtml));
            pos = end;
        }
        return sb.ToString();
    }

    /// <summary>ftfy.fix_and_explain on one segment: the fixes in ftfy's order until the text stops changing.</summary>
    static string FixSegment(string text, bool unescapeHtml)
    {
        while (true)
        {
            string before = text;
            if (unescapeHtml) text = TextFixes.UnescapeHtml(text);
            text = Utf8Mojibake.Repair(text);
            text = TextFixes.FixC1Controls(text);
            text = TextFixes.FixLatinLigatures(text);
            text = TextFixes.FixCharacterWidth(text);
            text = TextFixes.UncurlQuotes(text);
            text = TextFixes.FixLineBreaks(text);
            text = TextFixes.FixSurrogates(text);
            text = TextFixes.RemoveTerminalEscapes(text);
            text = TextFixes.RemoveControlChars(text);
            if (!text.IsNormalized(NormalizationForm.FormC)) text = text.Normalize(NormalizationForm.FormC);
            if (text == before) return text;
        }
    }
}
