namespace Actors.Vision.Tokenization;

/// <summary>
/// GPT-2/CLIP byte-level mapping: every byte 0–255 gets a printable Unicode character so BPE can work on text
/// without whitespace or control characters. Printable Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') map to
/// themselves; the remaining 68 bytes map to U+0100 onwards in byte order. The order of <see cref="Symbols"/>
/// (the printable ones first) is also the order of CLIP's first 256 vocabulary ids.
/// </summary>
public static class ByteUnicodeMap
{
    /// <summary>Character for each byte value.</summary>
    public static readonly char[] ByteToChar;

    /// <summary>The 256 byte symbols in CLIP vocabulary order.</summary>
    public static readonly char[] Symbols;

    private static readonly Dictionary<char, byte> CharToByte;

    static ByteUnicodeMap()
    {
        var printable = new List<int>();
        for (int b = '!'; b <= '~'; b++) printable.Add(b);
        for (int b = 0xA1; b <= 0xAC; b++) printable.Add(b);
        for (int b = 0xAE; b <= 0xFF; b++) printable.Add(b);
        var isPrintable = new bool[256];
        foreach (var b in printable) isPrintable[b] = true;

        ByteToChar = new char[256];
        var order = new List<char>();
        foreach (var b in printable) { ByteToChar[b] = (char)b; order.Add((char)b); }
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            if (isPrintable[b]) continue;
            ByteToChar[b] = (char)(256 + next++);
            order.Add(ByteToChar[b]);
        }
        Symbols = order.ToArray();
        CharToByte = new Dictionary<char, byte>(256);
        for (int b = 0; b < 256; b++) CharToByte[ByteToChar[b]] = (byte)b;
    }

    /// <summary>UTF-8 bytes of <paramref name="text"/>, each replaced by its symbol.</summary>
    public static string Encode(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    /// <summary>Back from symbols to bytes; false if a character is not a byte symbol.</summary>
    public static bool TryDecode(ReadOnlySpan<char> symbols, List<byte> into)
    {
        foreach (var c in symbols)
        {
            if (!CharToByte.TryGetValue(c, out var b)) return false;
            into.Add(b);
        }
        return true;
    }
}
