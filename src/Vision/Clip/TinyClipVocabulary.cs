using System.Text;
using System.Text.Json;

namespace Actors.Vision.Clip;

/// <summary>
/// A small tokenizer vocabulary in CLIP's exact file format, for generated test and demo models: the 256
/// byte-level symbols, the same with the "&lt;/w&gt;" end-of-word suffix, a few merges that spell out common
/// words letter by letter, then &lt;|startoftext|&gt; and &lt;|endoftext|&gt; (the largest id, as in CLIP, so argmax
/// pooling finds it). merges.txt starts with CLIP's "#version: 0.2" line.
/// </summary>
public static class TinyClipVocabulary
{
    static readonly string[] Words =
    [
        "a", "photo", "of", "the", "cat", "dog", "bird", "car", "red", "green", "blue", "small", "large", "on",
        "water", "land", "star", "circle", "square", "picture", "this", "is", "an", "image",
    ];

    public const string StartOfText = "<|startoftext|>";
    public const string EndOfText = "<|endoftext|>";

    /// <summary>CLIP's bytes_to_unicode: printable bytes map to themselves, the rest to 256 + n in byte order.</summary>
    public static IReadOnlyList<(byte Byte, char Symbol)> ByteSymbols()
    {
        var printable = new List<int>();
        for (int b = '!'; b <= '~'; b++) printable.Add(b);
        for (int b = 0xA1; b <= 0xAC; b++) printable.Add(b);
        for (int b = 0xAE; b <= 0xFF; b++) printable.Add(b);
        var result = printable.Select(b => ((byte)b, (char)b)).ToList();
        int n = 0;
        for (int b = 0; b < 256; b++)
            if (!printable.Contains(b)) result.Add(((byte)b, (char)(256 + n++)));
        return result;
    }

    /// <summary>Merges in rank order: each word is built left to right, the last symbol carrying "&lt;/w&gt;".</summary>
    public static IReadOnlyList<(string Left, string Right)> Merges()
    {
        var merges = new List<(string, string)>();
        var seen = new HashSet<string>();
        foreach (var word in Words)
        {
            if (word.Length < 2) continue;
            string left = word[0].ToString();
            for (int i = 1; i < word.Length; i++)
            {
                string right = word[i] + (i == word.Length - 1 ? "</w>" : "");
                if (seen.Add(left + " " + right)) merges.Add((left, right));
                left += right;
            }
        }
        return merges;
    }

    /// <summary>Tokens in id order.</summary>
    public static IReadOnlyList<string> Tokens()
    {
        var symbols = ByteSymbols().Select(s => s.Symbol.ToString()).ToList();
        var tokens = new List<string>(symbols);
        tokens.AddRange(symbols.Select(s => s + "</w>"));
        tokens.AddRange(Merges().Select(m => m.Left + m.Right));
        tokens.Add(StartOfText);
        tokens.Add(EndOfText);
        return tokens;
    }

    public static int Size => Tokens().Count;
    public static int StartOfTextId => Size - 2;
    public static int EndOfTextId => Size - 1;

    /// <summary>Writes vocab.json and merges.txt into <paramref name="directory"/>.</summary>
    public static void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var vocab = Tokens().Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        File.WriteAllText(Path.Combine(directory, "vocab.json"), JsonSerializer.Serialize(vocab), new UTF8Encoding(false));
        var merges = new StringBuilder("#version: 0.2\n");
        foreach (var (l, r) in Merges()) merges.Append(l).Append(' ').Append(r).Append('\n');
        File.WriteAllText(Path.Combine(directory, "merges.txt"), merges.ToString(), new UTF8Encoding(false));
    }
}
