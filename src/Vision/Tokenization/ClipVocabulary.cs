using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Actors.Vision.Tokenization;

/// <summary>
/// A CLIP byte-level BPE vocabulary: token strings (byte symbols, "&lt;/w&gt;" marking a word end) with ids, and the
/// merge list whose order is the merge priority. Loads the Hugging Face form (vocab.json + merges.txt) or the
/// OpenAI form (bpe_simple_vocab_16e6.txt.gz, merges only; ids are implied by CLIP's construction).
/// </summary>
public sealed class ClipVocabulary
{
    /// <summary>OpenAI CLIP keeps the first 49152 − 256 − 2 merges of its file: 49408 tokens in all.</summary>
    public const int OpenAiMergeCount = 49152 - 256 - 2;

    public IReadOnlyDictionary<string, int> TokenToId { get; }
    public IReadOnlyList<string> IdToToken { get; }
    public IReadOnlyList<(string Left, string Right)> Merges { get; }
    public int StartOfTextId { get; }
    public int EndOfTextId { get; }

    private ClipVocabulary(Dictionary<string, int> tokenToId, List<(string, string)> merges, string source)
    {
        int max = tokenToId.Count == 0 ? -1 : tokenToId.Values.Max();
        var idToToken = new string[max + 1];
        foreach (var (token, id) in tokenToId)
        {
            if (id < 0) throw new TokenizerFormatException(source, $"token '{token}' has negative id {id}.");
            if (idToToken[id] is not null) throw new TokenizerFormatException(source, $"id {id} is used by both '{idToToken[id]}' and '{token}'.");
            idToToken[id] = token;
        }
        TokenToId = tokenToId;
        IdToToken = idToToken;
        Merges = merges;
        StartOfTextId = tokenToId.TryGetValue(ClipPreTokenizer.StartOfText, out var sot) ? sot
            : throw new TokenizerFormatException(source, $"the vocabulary has no {ClipPreTokenizer.StartOfText} token.");
        EndOfTextId = tokenToId.TryGetValue(ClipPreTokenizer.EndOfText, out var eot) ? eot
            : throw new TokenizerFormatException(source, $"the vocabulary has no {ClipPreTokenizer.EndOfText} token.");
        foreach (var c in ByteUnicodeMap.Symbols)
            if (!tokenToId.ContainsKey(c.ToString()) || !tokenToId.ContainsKey(c + "</w>"))
                throw new TokenizerFormatException(source, $"the vocabulary lacks the byte symbol '{c}' (U+{(int)c:X4}) or its </w> form, so some text could not be encoded.");
        for (int i = 0; i < merges.Count; i++)
            if (!tokenToId.ContainsKey(merges[i].Item1 + merges[i].Item2))
                throw new TokenizerFormatException(source, $"merge {i + 1} '{merges[i].Item1} {merges[i].Item2}' produces a token that is not in the vocabulary.");
    }

    /// <summary>Hugging Face form: vocab.json {token: id} and merges.txt ("#version: 0.2" then "left right" per line).</summary>
    public static ClipVocabulary FromHuggingFace(string vocabJsonPath, string mergesTxtPath)
    {
        RequireFile(vocabJsonPath);
        RequireFile(mergesTxtPath);
        Dictionary<string, int> vocab;
        try
        {
            vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllBytes(vocabJsonPath))
                    ?? throw new TokenizerFormatException(vocabJsonPath, "vocab.json is empty (null).");
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException(vocabJsonPath, "not a JSON object of token → integer id: " + e.Message, e);
        }
        var merges = ParseMerges(File.ReadAllText(mergesTxtPath, Encoding.UTF8).Split('\n'), mergesTxtPath, int.MaxValue);
        return new ClipVocabulary(vocab, merges, vocabJsonPath);
    }

    /// <summary>OpenAI form: gzip text whose first line is a header and whose next lines are merges. The vocabulary
    /// is the 256 byte symbols, the same with "&lt;/w&gt;", one token per merge, then start/end of text.</summary>
    public static ClipVocabulary FromOpenAiBpe(string bpeGzPath, int mergeCount = OpenAiMergeCount)
    {
        RequireFile(bpeGzPath);
        string text;
        try
        {
            using var gz = new GZipStream(File.OpenRead(bpeGzPath), CompressionMode.Decompress);
            using var reader = new StreamReader(gz, Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        catch (InvalidDataException e)
        {
            throw new TokenizerFormatException(bpeGzPath, "not a valid gzip file: " + e.Message, e);
        }
        var lines = text.Split('\n');
        var merges = ParseMerges(lines, bpeGzPath, mergeCount, headerAlwaysPresent: true);
        if (merges.Count < mergeCount && mergeCount != int.MaxValue && mergeCount == OpenAiMergeCount)
            throw new TokenizerFormatException(bpeGzPath, $"has {merges.Count} merges; CLIP needs {mergeCount}.");
        return new ClipVocabulary(BuildOpenAiVocab(merges), merges, bpeGzPath);
    }

    /// <summary>Reads whichever form a model folder has (Hugging Face preferred).</summary>
    public static ClipVocabulary FromDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Tokenizer folder not found: {directory}");
        string vocab = Path.Combine(directory, "vocab.json"), merges = Path.Combine(directory, "merges.txt");
        if (File.Exists(vocab) || File.Exists(merges)) return FromHuggingFace(vocab, merges);
        var gz = Directory.GetFiles(directory, "*.txt.gz");
        if (gz.Length == 1) return FromOpenAiBpe(gz[0]);
        throw new FileNotFoundException(
            $"No tokenizer in {directory}: expected vocab.json + merges.txt or one bpe_simple_vocab_16e6.txt.gz" +
            (gz.Length > 1 ? $" (found {gz.Length} .txt.gz files)." : "."));
    }

    /// <summary>A vocabulary in CLIP's construction from a merge list (what <see cref="BpeTrainer"/> produces).</summary>
    public static ClipVocabulary FromMerges(IReadOnlyList<(string Left, string Right)> merges) =>
        new(BuildOpenAiVocab(merges), merges.Select(m => (m.Left, m.Right)).ToList(), "<merges>");

    /// <summary>Writes vocab.json (token → id, in id order) and merges.txt ("#version: 0.2", then one merge per
    /// line), the files Hugging Face's CLIPTokenizer and <see cref="FromHuggingFace"/> read.</summary>
    public void WriteHuggingFace(string directory)
    {
        Directory.CreateDirectory(directory);
        using (var stream = File.Create(Path.Combine(directory, "vocab.json")))
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions
               { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            for (int id = 0; id < IdToToken.Count; id++)
                if (IdToToken[id] is { } token) w.WriteNumber(token, id);
            w.WriteEndObject();
        }
        var sb = new StringBuilder("#version: 0.2\n");
        foreach (var (l, r) in Merges) sb.Append(l).Append(' ').Append(r).Append('\n');
        File.WriteAllText(Path.Combine(directory, "merges.txt"), sb.ToString(), new UTF8Encoding(false));
    }

    /// <summary>CLIP's id order for a merge list (as simple_tokenizer builds its encoder).</summary>
    public static Dictionary<string, int> BuildOpenAiVocab(IReadOnlyList<(string Left, string Right)> merges)
    {
        var tokens = new List<string>(512 + merges.Count + 2);
        foreach (var c in ByteUnicodeMap.Symbols) tokens.Add(c.ToString());
        foreach (var c in ByteUnicodeMap.Symbols) tokens.Add(c + "</w>");
        foreach (var (l, r) in merges) tokens.Add(l + r);
        tokens.Add(ClipPreTokenizer.StartOfText);
        tokens.Add(ClipPreTokenizer.EndOfText);
        var vocab = new Dictionary<string, int>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++) vocab.TryAdd(tokens[i], i);
        return vocab;
    }

    private static List<(string, string)> ParseMerges(string[] lines, string path, int limit, bool headerAlwaysPresent = false)
    {
        var merges = new List<(string, string)>();
        for (int i = 0; i < lines.Length && merges.Count < limit; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (i == 0 && (headerAlwaysPresent || line.StartsWith("#version", StringComparison.Ordinal))) continue;
            if (line.Length == 0) continue;
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new TokenizerFormatException(path, $"line {i + 1} is not a merge 'left right': \"{line}\".");
            merges.Add((parts[0], parts[1]));
        }
        if (merges.Count == 0) throw new TokenizerFormatException(path, "contains no merges.");
        return merges;
    }

    private static void RequireFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Tokenizer file not found: {path}", path);
    }
}
