using System.Globalization;
using System.Text;

namespace Actors.Vision.Tokenization;

/// <summary>
/// Splits cleaned text into the pieces BPE runs on, with exactly the matches of CLIP's pattern
/// <c>&lt;\|startoftext\|&gt;|&lt;\|endoftext\|&gt;|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c>
/// (case-insensitive; findall skips what does not match, i.e. whitespace). Written as a scanner over code points
/// rather than a .NET Regex because .NET classes UTF-16 surrogates, so letters beyond U+FFFF would not be \p{L}.
/// </summary>
public static class ClipPreTokenizer
{
    public const string StartOfText = "<|startoftext|>";
    public const string EndOfText = "<|endoftext|>";
    private static readonly string[] Contractions = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

    public static List<string> Split(string text)
    {
        var pieces = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            var rune = Rune.GetRuneAt(text, i);
            if (Rune.IsWhiteSpace(rune)) { i += rune.Utf16SequenceLength; continue; }

            // Alternatives in pattern order: the first that matches at this position wins.
            string? literal = MatchLiteral(text, i);
            if (literal is not null)
            {
                pieces.Add(text.Substring(i, literal.Length));
                i += literal.Length;
                continue;
            }
            var kind = Classify(rune);
            if (kind == Kind.Number)
            {
                pieces.Add(rune.ToString());
                i += rune.Utf16SequenceLength;
                continue;
            }
            int start = i;
            while (i < text.Length)
            {
                var r = Rune.GetRuneAt(text, i);
                if (Classify(r) != kind) break; // letters run over letters, "other" over "other"
                i += r.Utf16SequenceLength;
            }
            pieces.Add(text[start..i]);
        }
        return pieces;
    }

    private static string? MatchLiteral(string text, int i)
    {
        char c = text[i];
        if (c == '<')
        {
            if (string.Compare(text, i, StartOfText, 0, StartOfText.Length, StringComparison.OrdinalIgnoreCase) == 0) return StartOfText;
            if (string.Compare(text, i, EndOfText, 0, EndOfText.Length, StringComparison.OrdinalIgnoreCase) == 0) return EndOfText;
        }
        else if (c == '\'')
        {
            foreach (var k in Contractions)
                if (string.Compare(text, i, k, 0, k.Length, StringComparison.OrdinalIgnoreCase) == 0) return k;
        }
        return null;
    }

    private enum Kind { Space, Letter, Number, Other }

    private static Kind Classify(Rune r)
    {
        if (Rune.IsWhiteSpace(r)) return Kind.Space;
        switch (Rune.GetUnicodeCategory(r))
        {
            case UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter:
                return Kind.Letter;
            case UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber:
                return Kind.Number;
            default:
                return Kind.Other;
        }
    }
}
