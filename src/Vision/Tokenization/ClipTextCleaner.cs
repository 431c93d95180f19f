using System.Net;
using System.Text;

namespace Actors.Vision.Tokenization;

/// <summary>
/// CLIP's text clean-up before tokenising (OpenAI simple_tokenizer: basic_clean, whitespace_clean, lower):
/// HTML entities unescaped twice (as html.unescape(html.unescape(t)) does; optional because Hugging Face's fast
/// CLIPTokenizer skips it), Unicode NFC (what ftfy.fix_text and the HF normalizer both apply), runs of whitespace
/// collapsed to one space and trimmed, lower-cased. ftfy's mojibake repair is not reproduced.
/// </summary>
public static class ClipTextCleaner
{
    public static string Clean(string text, bool unescapeHtml = true)
    {
        if (unescapeHtml && text.Contains('&')) text = WebUtility.HtmlDecode(WebUtility.HtmlDecode(text));
        if (!text.IsNormalized(NormalizationForm.FormC)) text = text.Normalize(NormalizationForm.FormC);
        var sb = new StringBuilder(text.Length);
        bool pendingSpace = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune)) { pendingSpace = sb.Length > 0; continue; }
            if (pendingSpace) { sb.Append(' '); pendingSpace = false; }
            sb.Append(rune.ToString());
        }
        return sb.ToString().ToLowerInvariant();
    }
}
