using System.Globalization;
using System.Text;

namespace Actors.Vision.Tokenization;

/// <summary>
/// Lower-casing as CLIP's reference tokenizers do it. <see cref="Lower"/> is Python's str.lower (OpenAI and OpenCLIP
/// call text.lower()): Unicode's full lower-case mapping, so 'İ' becomes "i" + U+0307, and CPython's Final_Sigma
/// rule, so 'Σ' ending a word becomes 'ς' (Unicode SpecialCasing.txt; CPython unicodeobject.c handle_capital_sigma).
/// <see cref="LowerEachCharacter"/> is the Rust tokenizers' Lowercase normalizer that Hugging Face's fast CLIP
/// tokenizer runs: the same full mapping, one character at a time, so 'Σ' is always 'σ'. Neither applies the
/// Turkish or Lithuanian rules. .NET's ToLowerInvariant differs from both on 'İ' and final sigma.
/// </summary>
public static class PythonCase
{
    const int CapitalSigma = 0x03A3, DottedCapitalI = 0x0130;

    public static string Lower(string text) => LowerCore(text, finalSigma: true);

    public static string LowerEachCharacter(string text) => LowerCore(text, finalSigma: false);

    static string LowerCore(string text, bool finalSigma)
    {
        var sb = new StringBuilder(text.Length);
        int i = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case DottedCapitalI: sb.Append("i\u0307"); break;   // SpecialCasing.txt: 0130; 0069 0307
                case CapitalSigma: sb.Append(finalSigma && IsFinalSigma(text, i) ? 'ς' : 'σ'); break;
                default: sb.Append(Rune.ToLowerInvariant(rune).ToString()); break;
            }
            i += rune.Utf16SequenceLength;
        }
        return sb.ToString();
    }

    /// <summary>Final_Sigma: a cased letter before (skipping case-ignorables) and none after (skipping them too).</summary>
    static bool IsFinalSigma(string text, int at)
    {
        int j = at;
        Rune r = default;
        bool found = false;
        while (j > 0 && Rune.DecodeLastFromUtf16(text.AsSpan(0, j), out r, out int n) == System.Buffers.OperationStatus.Done)
        {
            j -= n;
            if (!IsCaseIgnorable(r.Value)) { found = true; break; }
        }
        if (!found || !IsCased(r.Value)) return false;
        j = at + 1;
        while (j < text.Length && Rune.DecodeFromUtf16(text.AsSpan(j), out r, out int n) == System.Buffers.OperationStatus.Done)
        {
            j += n;
            if (!IsCaseIgnorable(r.Value)) return !IsCased(r.Value);
        }
        return true;
    }

    /// <summary>Unicode's Cased: Lu, Ll, Lt, plus Other_Lowercase and Other_Uppercase (DerivedCoreProperties.txt).</summary>
    internal static bool IsCased(int cp) =>
        CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        || cp is 0x00AA or 0x00BA or 0x0345 or >= 0x2160 and <= 0x217F or >= 0x24B6 and <= 0x24E9
            or >= 0x1F130 and <= 0x1F149 or >= 0x1F150 and <= 0x1F169 or >= 0x1F170 and <= 0x1F189
        || CharUnicodeInfo.GetUnicodeCategory(cp) == UnicodeCategory.ModifierLetter && OtherLowercaseModifier(cp);

    // Other_Lowercase modifier letters; they are case-ignorable too, so only IsCased's own callers see them.
    static bool OtherLowercaseModifier(int cp) => cp is >= 0x02B0 and <= 0x02B8 or 0x02C0 or 0x02C1 or >= 0x02E0 and <= 0x02E4
        or 0x037A or 0x10FC or >= 0x1D2C and <= 0x1D6A or 0x1D78 or >= 0x1D9B and <= 0x1DBF or 0x2071 or 0x207F
        or >= 0x2090 and <= 0x209C or 0x2C7C or 0x2C7D or 0xA69C or 0xA69D or 0xA770 or 0xA7F8 or 0xA7F9 or >= 0xAB5C and <= 0xAB5F;

    /// <summary>
    /// Unicode's Case_Ignorable: Mn, Me, Cf, Lm, Sk, and Word_Break MidLetter, MidNumLet and Single_Quote
    /// (DerivedCoreProperties.txt; WordBreakProperty.txt).
    /// </summary>
    internal static bool IsCaseIgnorable(int cp) =>
        CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || cp is 0x0027 or 0x002E or 0x003A or 0x00B7 or 0x0387 or 0x055F or 0x05F4 or 0x2018 or 0x2019 or 0x2024
            or 0x2027 or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
}
