using System.Text;

namespace Actors.Vision.Tokenization;

/// <summary>
/// CLIP's text clean-up before the pre-tokenizer splits it, as the chosen reference tokenizer does it
/// (<see cref="ClipTextNormalization"/>); tested against Python's own output in TextNormalizationTests.
/// </summary>
public static class ClipTextCleaner
{
    public static string Clean(string text, ClipTextNormalization normalization = ClipTextNormalization.OpenAi) => normalization switch
    {
        ClipTextNormalization.OpenAi => OpenAi(text),
        ClipTextNormalization.HuggingFaceFast => HuggingFaceFast(text),
        _ => throw new ArgumentOutOfRangeException(nameof(normalization), normalization, null),
    };

    // OpenAI simple_tokenizer / OpenCLIP tokenizer: whitespace_clean(basic_clean(text)).lower(), with
    // basic_clean = ftfy.fix_text; html.unescape(html.unescape(.)); .strip().
    static string OpenAi(string text)
    {
        text = TextFixer.FixText(text);
        text = PythonHtml.Unescape(PythonHtml.Unescape(text));
        return PythonCase.Lower(CollapseWhitespace(text, IsPythonSpace, trim: true));
    }

    // CLIPTokenizerFast's normalizer: NFC, Replace(\s+, " "), Lowercase (per character). Rust strings hold no lone
    // surrogates, so they are U+FFFD before NFC (which would reject them).
    static string HuggingFaceFast(string text)
    {
        text = TextFixes.FixSurrogates(text);
        if (!text.IsNormalized(NormalizationForm.FormC)) text = text.Normalize(NormalizationForm.FormC);
        return PythonCase.LowerEachCharacter(CollapseWhitespace(text, Rune.IsWhiteSpace, trim: false));
    }

    /// <summary>Runs of <paramref name="isSpace"/> characters become one space; trimmed too when asked (Python's
    /// re.sub(r"\s+", " ", t).strip() uses the same str.isspace set for both).</summary>
    static string CollapseWhitespace(string text, Func<Rune, bool> isSpace, bool trim)
    {
        var sb = new StringBuilder(text.Length);
        bool inSpace = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (isSpace(rune)) { inSpace = true; continue; }
            if (inSpace && (sb.Length > 0 || !trim)) sb.Append(' ');
            inSpace = false;
            sb.Append(rune.ToString());
        }
        if (inSpace && !trim) sb.Append(' ');
        return sb.ToString();
    }

    /// <summary>Python's str.isspace (and re's \s): Unicode White_Space plus U+001C–U+001F, which Python counts as
    /// separators (bidirectional class B or S).</summary>
    internal static bool IsPythonSpace(Rune r) => Rune.IsWhiteSpace(r) || r.Value is >= 0x1C and <= 0x1F;
}
