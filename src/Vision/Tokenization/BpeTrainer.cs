namespace Actors.Vision.Tokenization;

/// <summary>
/// Learns a byte-level BPE vocabulary in CLIP's format from a caption corpus (Sennrich et al. 2016, "Neural Machine
/// Translation of Rare Words with Subword Units", Sec. 3.2; byte-level symbols as in GPT-2/CLIP).
/// Words are the pieces CLIP's tokenizer makes (same clean-up and pattern), as byte symbols with "&lt;/w&gt;" on the
/// last one. Starting from the 256 byte symbols and their "&lt;/w&gt;" forms, it repeatedly merges the adjacent pair
/// with the highest corpus frequency; ties go to the ordinally smallest "left right" so the result does not depend
/// on caption order. A pair whose concatenation is already a token is skipped so ids stay unique.
/// </summary>
public static class BpeTrainer
{
    /// <param name="vocabularySize">Total tokens wanted: 512 byte symbols + merges + 2 special tokens.</param>
    /// <param name="minPairFrequency">Stop early when the best pair occurs fewer times than this.</param>
    public static ClipVocabulary Train(IEnumerable<string> captions, int vocabularySize, int minPairFrequency = 2,
        ClipTextNormalization normalization = ClipTextNormalization.OpenAi)
    {
        const int fixedTokens = 512 + 2;
        if (vocabularySize < fixedTokens)
            throw new ArgumentOutOfRangeException(nameof(vocabularySize), vocabularySize, $"must be at least {fixedTokens} (byte symbols and special tokens).");
        var merges = LearnMerges(CountWords(captions, normalization), vocabularySize - fixedTokens, Math.Max(1, minPairFrequency));
        return ClipVocabulary.FromMerges(merges);
    }

    /// <summary>Trains and writes vocab.json + merges.txt into <paramref name="directory"/>.</summary>
    public static ClipVocabulary TrainAndWrite(IEnumerable<string> captions, string directory, int vocabularySize, int minPairFrequency = 2)
    {
        var vocab = Train(captions, vocabularySize, minPairFrequency);
        vocab.WriteHuggingFace(directory);
        return vocab;
    }

    /// <summary>Frequency of each pre-tokenized word, as its initial symbol sequence.</summary>
    internal static Dictionary<string, long> CountWords(IEnumerable<string> captions,
        ClipTextNormalization normalization = ClipTextNormalization.OpenAi)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var caption in captions)
            foreach (var piece in ClipPreTokenizer.Split(ClipTextCleaner.Clean(caption, normalization)))
            {
                if (piece is ClipPreTokenizer.StartOfText or ClipPreTokenizer.EndOfText) continue;
                var key = ByteUnicodeMap.Encode(piece);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        return counts;
    }

    internal static List<string> InitialSymbols(string byteSymbols)
    {
        var s = new List<string>(byteSymbols.Length);
        for (int i = 0; i < byteSymbols.Length - 1; i++) s.Add(byteSymbols[i].ToString());
        s.Add(byteSymbols[^1] + "</w>");
        return s;
    }

    private static List<(string Left, string Right)> LearnMerges(Dictionary<string, long> wordCounts, int maxMerges, int minPairFrequency)
    {
        var words = new List<List<string>>();
        var freq = new List<long>();
        foreach (var (w, c) in wordCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            words.Add(InitialSymbols(w));
            freq.Add(c);
        }

        var tokens = new HashSet<string>(ClipVocabulary.BuildOpenAiVocab([]).Keys, StringComparer.Ordinal);
        var pairCount = new Dictionary<(string, string), long>();
        var pairWords = new Dictionary<(string, string), HashSet<int>>();
        for (int w = 0; w < words.Count; w++) AddPairs(w);

        var merges = new List<(string, string)>();
        var skipped = new HashSet<(string, string)>();
        while (merges.Count < maxMerges)
        {
            (string, string)? best = null;
            long bestCount = 0;
            foreach (var (pair, count) in pairCount)
            {
                if (count < minPairFrequency || count < bestCount || skipped.Contains(pair)) continue;
                if (count > bestCount || Before(pair, best!.Value)) { best = pair; bestCount = count; }
            }
            if (best is not { } chosen) break;
            string merged = chosen.Item1 + chosen.Item2;
            if (!tokens.Add(merged)) { skipped.Add(chosen); continue; }
            merges.Add(chosen);

            foreach (int w in pairWords[chosen].ToList())
            {
                RemovePairs(w);
                words[w] = MergeInWord(words[w], chosen, merged);
                AddPairs(w);
            }
        }
        return merges;

        void AddPairs(int w)
        {
            var s = words[w];
            for (int i = 0; i < s.Count - 1; i++)
            {
                var p = (s[i], s[i + 1]);
                pairCount[p] = pairCount.GetValueOrDefault(p) + freq[w];
                if (!pairWords.TryGetValue(p, out var set)) pairWords[p] = set = [];
                set.Add(w);
            }
        }

        void RemovePairs(int w)
        {
            var s = words[w];
            for (int i = 0; i < s.Count - 1; i++)
            {
                var p = (s[i], s[i + 1]);
                long c = pairCount[p] - freq[w];
                if (c == 0) { pairCount.Remove(p); pairWords.Remove(p); }
                else pairCount[p] = c;
            }
        }
    }

    /// <summary>Deterministic tie-break: ordinal order of "left right".</summary>
    internal static bool Before((string, string) a, (string, string) b)
    {
        int c = string.CompareOrdinal(a.Item1, b.Item1);
        return c < 0 || (c == 0 && string.CompareOrdinal(a.Item2, b.Item2) < 0);
    }

    internal static List<string> MergeInWord(List<string> symbols, (string Left, string Right) pair, string merged)
    {
        var result = new List<string>(symbols.Count);
        for (int i = 0; i < symbols.Count; i++)
        {
            if (i < symbols.Count - 1 && symbols[i] == pair.Left && symbols[i + 1] == pair.Right) { result.Add(merged); i++; }
            else result.Add(symbols[i]);
        }
        return result;
    }
}
