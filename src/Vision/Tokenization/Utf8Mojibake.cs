using System.Text;

namespace Actors.Vision.Tokenization;

/// <summary>
/// Repairs UTF-8 that was decoded as Windows-1252 or Latin-1 ("cafÃ©" → "café", "â€”" → "—"), the mojibake that
/// ftfy's fix_encoding exists for and the kind it documents. Our own rule, not ftfy's badness heuristic: a run of
/// characters is repaired when each is a byte of those code pages (Windows-1252 as ftfy's "sloppy" variant reads it,
/// its five unassigned bytes as C1 controls, and Latin-1's C1 controls) and the bytes form one or more complete,
/// well-formed UTF-8 sequences of two to four bytes (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF).
/// A lead byte read as a letter (Ã, â, Ð, …) followed by the exact number of continuation bytes read as symbols
/// (€, ©, ¶, ‚, …; a few rare letters: œ, š, ž) is almost never meant, so ordinary text — "naïve", "São", "Größe", "ÉTÉ" — is left alone.
/// Repeated until nothing changes, so text mangled twice is repaired twice.
/// Not reproduced from ftfy: other code pages (1250, 1251, MacRoman, cp437, …), a no-break space that a later step
/// turned into a space, and its whole-string scoring of what is "bad".
/// </summary>
internal static class Utf8Mojibake
{
    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text with every layer of mojibake repaired: passes repeat until one changes nothing, before any
    /// other fix runs (as ftfy's fix_encoding does), since a later fix could spoil an inner layer (‚ uncurled to ').</summary>
    public static string Repair(string text)
    {
        for (string repaired = RepairOnce(text); ; text = repaired, repaired = RepairOnce(text))
            if (repaired == text) return text;
    }

    static string RepairOnce(string text)
    {
        StringBuilder? sb = null;
        int copied = 0;
        Span<byte> bytes = stackalloc byte[4];
        for (int i = 0; i < text.Length; i++)
        {
            int lead = ByteOf(text[i]), length = SequenceLength(lead);
            if (length == 0 || i + length > text.Length) continue;
            bytes[0] = (byte)lead;
            bool continued = true;
            for (int k = 1; k < length && continued; k++)
            {
                int b = ByteOf(text[i + k]);
                continued = b is >= 0x80 and <= 0xBF;
                bytes[k] = (byte)b;
            }
            if (!continued || !TryDecode(bytes[..length], out var decoded)) continue;
            sb ??= new StringBuilder(text.Length);
            sb.Append(text, copied, i - copied).Append(decoded);
            copied = i + length;
            i += length - 1;
        }
        return sb is null ? text : sb.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The byte a character stands for in sloppy Windows-1252 / Latin-1; −1 for a character of neither.</summary>
    static int ByteOf(char c) => c switch
    {
        <= '\u00FF' => c,   // ASCII and Latin-1 (Windows-1252 agrees from 0xA0); C1 controls are Latin-1's reading of 0x80–0x9F
        _ => Windows1252.ByteOf(c),
    };

    /// <summary>Bytes in the UTF-8 sequence this lead byte starts (RFC 3629 Table 3-7 leads); 0 when it is no lead.</summary>
    static int SequenceLength(int lead) => lead switch
    {
        >= 0xC2 and <= 0xDF => 2,
        >= 0xE0 and <= 0xEF => 3,
        >= 0xF0 and <= 0xF4 => 4,
        _ => 0,
    };

    /// <summary>Strict UTF-8 decoding: rejects overlongs, surrogates and code points past U+10FFFF. A C1 control as
    /// the result stays (text mangled twice passes through one; fix_c1_controls reads any that is left).</summary>
    static bool TryDecode(ReadOnlySpan<byte> bytes, out string decoded)
    {
        try { decoded = Strict.GetString(bytes); return true; }
        catch (DecoderFallbackException) { decoded = ""; return false; }
    }
}
