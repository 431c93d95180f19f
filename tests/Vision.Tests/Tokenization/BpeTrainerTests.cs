using Actors.Vision.Tests.Checkpoints;
using Actors.Vision.Tokenization;

namespace Actors.Vision.Tests.Tokenization;

public class BpeTrainerTests
{
    private static readonly string[] Colours = ["red", "green", "blue", "yellow", "purple", "orange", "white", "black"];
    private static readonly string[] Shapes = ["star", "circle", "square", "triangle", "heart", "cross", "moon", "diamond"];
    private static readonly string[] Backgrounds = ["water", "land", "stripes", "dots", "plain background"];

    /// <summary>Captions in the style of the synthetic world ("a photo of a small red star on water").</summary>
    private static List<string> Captions()
    {
        var rng = new Random(7);
        var list = new List<string>();
        for (int i = 0; i < 400; i++)
            list.Add($"a photo of a {(rng.Next(2) == 0 ? "small" : "large")} {Colours[rng.Next(Colours.Length)]} " +
                     $"{Shapes[rng.Next(Shapes.Length)]} on {Backgrounds[rng.Next(Backgrounds.Length)]}");
        return list;
    }

    /// <summary>Naive reference: recount every adjacent pair from scratch each round, take the most frequent
    /// (ties: ordinal "left right"), skip pairs whose result is already a token.</summary>
    private static List<(string, string)> NaiveMerges(IEnumerable<string> captions, int maxMerges)
    {
        var words = BpeTrainer.CountWords(captions).Select(kv => (Symbols: BpeTrainer.InitialSymbols(kv.Key), Count: kv.Value)).ToList();
        var tokens = new HashSet<string>(ClipVocabulary.BuildOpenAiVocab([]).Keys);
        var merges = new List<(string, string)>();
        var skipped = new HashSet<(string, string)>();
        while (merges.Count < maxMerges)
        {
            var counts = new Dictionary<(string, string), long>();
            foreach (var (s, c) in words)
                for (int i = 0; i + 1 < s.Count; i++)
                    counts[(s[i], s[i + 1])] = counts.GetValueOrDefault((s[i], s[i + 1])) + c;
            var candidates = counts.Where(kv => kv.Value >= 2 && !skipped.Contains(kv.Key)).ToList();
            if (candidates.Count == 0) break;
            long max = candidates.Max(kv => kv.Value);
            var best = candidates.Where(kv => kv.Value == max).Select(kv => kv.Key)
                .OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2, StringComparer.Ordinal).First();
            if (!tokens.Add(best.Item1 + best.Item2)) { skipped.Add(best); continue; }
            merges.Add(best);
            words = words.Select(w => (BpeTrainer.MergeInWord(w.Symbols, best, best.Item1 + best.Item2), w.Count)).ToList();
        }
        return merges;
    }

    [Fact]
    public void TheIncrementalTrainerLearnsExactlyTheMergesOfANaiveRecountingTrainer()
    {
        var captions = Captions();
        var vocab = BpeTrainer.Train(captions, vocabularySize: 514 + 150);
        Assert.Equal(NaiveMerges(captions, 150), vocab.Merges.Select(m => (m.Left, m.Right)).ToList());
    }

    [Fact]
    public void TrainedFilesLoadInTheRealTokenizerAndCommonWordsBecomeSingleTokens()
    {
        using var tmp = new TempDir();
        BpeTrainer.TrainAndWrite(Captions(), tmp.Path, vocabularySize: 1000);
        Assert.Equal("#version: 0.2", File.ReadLines(Path.Combine(tmp.Path, "merges.txt")).First());

        var tok = ClipTokenizer.FromDirectory(tmp.Path);
        string text = "a photo of a small red star on water";
        Assert.Equal(["a</w>", "photo</w>", "of</w>", "a</w>", "small</w>", "red</w>", "star</w>", "on</w>", "water</w>"], tok.Tokenize(text));
        foreach (var word in Colours.Concat(Shapes)) Assert.Single(tok.Tokenize(word));

        var ids = tok.Encode(text);
        Assert.Equal(tok.StartOfTextId, ids[0]);
        Assert.Equal(tok.EndOfTextId, ids[^1]);
        Assert.Equal(text, tok.Decode(ids));
        // A word never seen still encodes (byte symbols are always in the vocabulary) and decodes back; as in CLIP,
        // punctuation is its own word, so decoding puts a space before the comma.
        Assert.Equal("a zebra , ünïcödé 🦓", tok.Decode(tok.Encode("A zebra, ünïcödé 🦓")));
    }

    [Fact]
    public void TheVocabularyHasCLIPsLayoutByteSymbolsThenMergesThenSpecialTokens()
    {
        var vocab = BpeTrainer.Train(Captions(), vocabularySize: 700);
        var clip = ClipVocabulary.FromHuggingFace(RepoPaths.Fixture("tokenizer", "vocab.json"), RepoPaths.Fixture("tokenizer", "merges.txt"));
        Assert.Equal(clip.IdToToken.Take(512), vocab.IdToToken.Take(512)); // same 512 base symbols, same ids
        Assert.Equal(vocab.Merges.Count + 514, vocab.IdToToken.Count);
        Assert.Equal(vocab.IdToToken.Count - 2, vocab.StartOfTextId);
        Assert.Equal(vocab.IdToToken.Count - 1, vocab.EndOfTextId);
        for (int i = 0; i < vocab.Merges.Count; i++) Assert.Equal(vocab.Merges[i].Left + vocab.Merges[i].Right, vocab.IdToToken[512 + i]);
    }

    [Fact]
    public void TrainingIsDeterministicAndIndependentOfCaptionOrder()
    {
        var captions = Captions();
        var shuffled = captions.OrderBy(_ => Guid.NewGuid()).ToList();
        Assert.Equal(BpeTrainer.Train(captions, 800).Merges, BpeTrainer.Train(shuffled, 800).Merges);
    }

    [Fact]
    public void TrainingStopsWhenNoPairIsFrequentEnoughAndRejectsATooSmallVocabulary()
    {
        var vocab = BpeTrainer.Train(["abc"], vocabularySize: 10_000);
        Assert.Empty(vocab.Merges); // every pair occurs once, below the default minimum of 2
        Assert.Equal(514, vocab.IdToToken.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => BpeTrainer.Train(["x"], vocabularySize: 100));
    }
}
