using System.Collections.Concurrent;
using System.Text;

namespace Actors.Vision.Tokenization;

/// <summary>
/// CLIP's byte-level BPE tokenizer (OpenAI CLIP simple_tokenizer.py; Hugging Face CLIPTokenizer): clean the text,
/// split it with CLIP's pattern, map each piece's UTF-8 bytes to byte symbols, mark the last symbol with "&lt;/w&gt;",
/// apply merges lowest rank first, look the pieces up. Thread-safe; a word cache makes repeated words cheap.
/// </summary>
public sealed class ClipTokenizer
{
    public const int DefaultContextLength = 77;
    private const int CacheLimit = 100_000;

    private readonly Dictionary<(string, string), int> _ranks;
    private readonly ConcurrentDictionary<string, int[]> _cache = new();

    public ClipVocabulary Vocabulary { get; }
    public int StartOfTextId => Vocabulary.StartOfTextId;
    public int EndOfTextId => Vocabulary.EndOfTextId;
    public int VocabularySize => Vocabulary.IdToToken.Count;

    /// <summary>Whose text clean-up runs before splitting: OpenAI/OpenCLIP's (ftfy, html.unescape, str.lower) or
    /// Hugging Face's fast tokenizer's (NFC, whitespace, per-character lower case).</summary>
    public ClipTextNormalization Normalization { get; }

    public ClipTokenizer(ClipVocabulary vocabulary, ClipTextNormalization normalization = ClipTextNormalization.OpenAi)
    {
        Vocabulary = vocabulary;
        Normalization = normalization;
        _ranks = new Dictionary<(string, string), int>(vocabulary.Merges.Count);
        for (int i = 0; i < vocabulary.Merges.Count; i++) _ranks.TryAdd(vocabulary.Merges[i], i);
    }

    /// <summary>vocab.json + merges.txt, normalised as Hugging Face's fast tokenizer does unless told otherwise.</summary>
    public static ClipTokenizer FromHuggingFace(string vocabJson, string mergesTxt,
        ClipTextNormalization normalization = ClipTextNormalization.HuggingFaceFast) =>
        new(ClipVocabulary.FromHuggingFace(vocabJson, mergesTxt), normalization);

    public static ClipTokenizer FromOpenAiBpe(string bpeGz, ClipTextNormalization normalization = ClipTextNormalization.OpenAi) =>
        new(ClipVocabulary.FromOpenAiBpe(bpeGz), normalization);

    /// <summary>A model folder's tokenizer, normalising as the reference tokenizer of the folder's layout does
    /// (<see cref="ClipTextNormalizations.ForDirectory"/>) unless <paramref name="normalization"/> says otherwise.</summary>
    public static ClipTokenizer FromDirectory(string directory, ClipTextNormalization? normalization = null) =>
        new(ClipVocabulary.FromDirectory(directory), normalization ?? ClipTextNormalizations.ForDirectory(directory));

    /// <summary>Token ids of <paramref name="text"/>, by default wrapped in start/end of text; never truncated.</summary>
    public int[] Encode(string text, bool addSpecialTokens = true)
    {
        var ids = new List<int>();
        if (addSpecialTokens) ids.Add(StartOfTextId);
        foreach (var piece in ClipPreTokenizer.Split(ClipTextCleaner.Clean(text, Normalization)))
            ids.AddRange(EncodePiece(piece));
        if (addSpecialTokens) ids.Add(EndOfTextId);
        return ids.ToArray();
    }

    /// <summary>
    /// Row-major [texts.Count, contextLength] ids with start/end of text, padded with 0 (OpenAI clip.tokenize) or
    /// with the end-of-text id (Hugging Face's pad token). Too-long texts are cut to contextLength with end of text
    /// kept as the last token, or rejected when <paramref name="truncate"/> is false. eotIndex[i] is the position of
    /// text i's end-of-text token, where CLIP's text transformer pools.
    /// </summary>
    public (int[] Ids, int[] EotIndex) EncodeBatch(IReadOnlyList<string> texts, int contextLength = DefaultContextLength,
        bool truncate = true, bool padWithEndOfText = false)
    {
        if (contextLength < 2) throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, "must hold at least start and end of text.");
        var ids = new int[texts.Count * contextLength];
        if (padWithEndOfText) Array.Fill(ids, EndOfTextId);
        var eot = new int[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            var tokens = Encode(texts[i]);
            if (tokens.Length > contextLength)
            {
                if (!truncate)
                    throw new ArgumentException($"Text {i} has {tokens.Length} tokens, more than the context length {contextLength}: \"{Shorten(texts[i])}\".", nameof(texts));
                tokens = tokens[..contextLength];
                tokens[^1] = EndOfTextId;
            }
            tokens.CopyTo(ids, i * contextLength);
            eot[i] = tokens.Length - 1;
        }
        return (ids, eot);
    }

    /// <summary>Text from ids: byte symbols back to UTF-8 (invalid sequences become U+FFFD), "&lt;/w&gt;" → space.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        var symbols = new StringBuilder();
        foreach (var id in ids)
        {
            if (id < 0 || id >= Vocabulary.IdToToken.Count || Vocabulary.IdToToken[id] is null)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"not a token id (vocabulary size {VocabularySize}).");
            if (skipSpecialTokens && (id == StartOfTextId || id == EndOfTextId)) continue;
            symbols.Append(Vocabulary.IdToToken[id]);
        }
        var bytes = new List<byte>(symbols.Length);
        foreach (var chunk in symbols.ToString().EnumerateRunes())
        {
            var s = chunk.ToString();
            if (!ByteUnicodeMap.TryDecode(s, bytes)) bytes.AddRange(Encoding.UTF8.GetBytes(s));
        }
        return Encoding.UTF8.GetString(bytes.ToArray()).Replace("</w>", " ").TrimEnd();
    }

    /// <summary>The BPE tokens (vocabulary strings) of one text, without special tokens; for inspection.</summary>
    public string[] Tokenize(string text) => Encode(text, addSpecialTokens: false).Select(i => Vocabulary.IdToToken[i]).ToArray();

    private int[] EncodePiece(string piece)
    {
        if (_cache.TryGetValue(piece, out var cached)) return cached;
        int[] ids;
        if (piece is ClipPreTokenizer.StartOfText) ids = [StartOfTextId];
        else if (piece is ClipPreTokenizer.EndOfText) ids = [EndOfTextId];
        else ids = Bpe(ByteUnicodeMap.Encode(piece)).Select(t => Vocabulary.TokenToId[t]).ToArray();
        if (_cache.Count >= CacheLimit) _cache.Clear();
        _cache[piece] = ids;
        return ids;
    }

    /// <summary>Repeatedly merges the adjacent pair with the lowest merge rank (every occurrence, left to right)
    /// until no adjacent pair is a known merge.</summary>
    private List<string> Bpe(string symbols)
    {
        var word = new List<string>(symbols.Length);
        for (int i = 0; i < symbols.Length - 1; i++) word.Add(symbols[i].ToString());
        word.Add(symbols[^1] + "</w>");
        while (word.Count > 1)
        {
            int best = int.MaxValue;
            (string, string) bestPair = default;
            for (int i = 0; i < word.Count - 1; i++)
                if (_ranks.TryGetValue((word[i], word[i + 1]), out int r) && r < best) { best = r; bestPair = (word[i], word[i + 1]); }
            if (best == int.MaxValue) break;
            var merged = new List<string>(word.Count);
            for (int i = 0; i < word.Count; i++)
            {
                if (i < word.Count - 1 && word[i] == bestPair.Item1 && word[i + 1] == bestPair.Item2)
                {
                    merged.Add(bestPair.Item1 + bestPair.Item2);
                    i++;
                }
                else merged.Add(word[i]);
            }
            word = merged;
        }
        return word;
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
