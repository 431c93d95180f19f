using System.IO.Compression;
using System.Text.Json;
using Actors.Vision.Tests.Checkpoints;
using Actors.Vision.Tokenization;

namespace Actors.Vision.Tests.Tokenization;

/// <summary>
/// CLIP's real vocabulary (copied from openai/clip-vit-base-patch32 and OpenAI's bpe_simple_vocab_16e6.txt.gz).
/// clip_expected_ids.json was produced independently by Hugging Face's @huggingface/tokenizers (pure JS) reading
/// CLIP's tokenizer.json: tests/fixtures-src/tokenizer/make_expected_ids.mjs.
/// </summary>
public class ClipTokenizerTests
{
    private static string Fixture(string name) => RepoPaths.Fixture("tokenizer", name);

    private static readonly Lazy<ClipTokenizer> HuggingFace = new(() =>
        ClipTokenizer.FromHuggingFace(Fixture("vocab.json"), Fixture("merges.txt")));

    private static readonly Lazy<ClipTokenizer> OpenAi = new(() =>
        ClipTokenizer.FromOpenAiBpe(Fixture("bpe_simple_vocab_16e6.txt.gz")));

    public static List<(string Text, int[] Ids)> ReferenceCases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixture("clip_expected_ids.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (c.GetProperty("text").GetString()!, c.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray()))
            .ToList();
    }

    [Fact]
    public void TheKnownPromptEncodesToCLIPsPublishedIds()
    {
        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 49407], HuggingFace.Value.Encode("a photo of a cat"));
        Assert.Equal(49408, HuggingFace.Value.VocabularySize);
    }

    [Fact]
    public void EveryReferenceTextEncodesToTheIdsOfTheIndependentHuggingFaceTokenizer()
    {
        // The reference is HF's fast tokenizer, so normalise as it does (no ftfy, no HTML unescaping).
        var tok = new ClipTokenizer(HuggingFace.Value.Vocabulary, ClipTextNormalization.HuggingFaceFast);
        var cases = ReferenceCases();
        Assert.True(cases.Count >= 60);
        var mismatches = cases
            .Where(c => !KnownDivergences.ContainsKey(c.Text))
            .Select(c => (c.Text, Expected: c.Ids, Actual: tok.Encode(c.Text)))
            .Where(c => !c.Expected.SequenceEqual(c.Actual))
            .Select(c => $"{JsonSerializer.Serialize(c.Text)}: expected [{string.Join(",", c.Expected)}] got [{string.Join(",", c.Actual)}]")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    /// <summary>Cases where we knowingly differ from the reference, with why (none today).</summary>
    private static readonly Dictionary<string, string> KnownDivergences = new();

    [Fact]
    public void DecomposedAccentsAreComposedLikeTheReference()
    {
        // NFC (ftfy and the HF normalizer): "e + U+0301" tokenises exactly as the precomposed "é".
        var tok = new ClipTokenizer(HuggingFace.Value.Vocabulary, ClipTextNormalization.HuggingFaceFast);
        Assert.Equal(tok.Encode("caf\u00e9"), tok.Encode("cafe\u0301"));
        Assert.Equal(OpenAi.Value.Encode("caf\u00e9"), OpenAi.Value.Encode("cafe\u0301"));
    }

    [Fact]
    public void TheOpenAiGzipFormAndTheHuggingFaceFilesGiveTheSameVocabularyAndIds()
    {
        var hf = HuggingFace.Value.Vocabulary;
        var oa = OpenAi.Value.Vocabulary;
        Assert.Equal(hf.IdToToken.Count, oa.IdToToken.Count);
        Assert.Equal(hf.IdToToken, oa.IdToToken);
        Assert.Equal(hf.Merges, oa.Merges);
        var hfFilesOpenAiCleaning = new ClipTokenizer(hf, ClipTextNormalization.OpenAi);
        foreach (var (text, _) in ReferenceCases())
            Assert.Equal(hfFilesOpenAiCleaning.Encode(text), OpenAi.Value.Encode(text));
    }

    [Fact]
    public void HtmlEntitiesAreUnescapedLikeOpenAisBasicClean()
    {
        var tok = OpenAi.Value;
        Assert.Equal(tok.Encode("fish & chips"), tok.Encode("fish &amp; chips"));
        Assert.Equal(tok.Encode("<b>bold</b>"), tok.Encode("&lt;b&gt;bold&lt;/b&gt;"));
        Assert.Equal(tok.Encode("café é"), tok.Encode("caf&eacute; &#233;"));
        Assert.Equal(tok.Encode("&"), tok.Encode("&amp;amp;")); // ftfy unescapes until nothing changes, then html.unescape twice
        Assert.Equal(tok.Encode("this¬ that"), tok.Encode("this&not that")); // html.unescape's legacy names without ';'
        Assert.NotEqual(HuggingFace.Value.Encode("fish & chips"), HuggingFace.Value.Encode("fish &amp; chips")); // HF fast: no unescaping
    }

    [Fact]
    public void ABatchIsPaddedWithZerosAndTheEndOfTextPositionIsReported()
    {
        var tok = HuggingFace.Value;
        var (ids, eot) = tok.EncodeBatch(["a photo of a cat", ""]);
        Assert.Equal(2 * 77, ids.Length);
        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 49407], ids[..7]);
        Assert.All(ids[7..77], id => Assert.Equal(0, id));
        Assert.Equal([49406, 49407], ids[77..79]);
        Assert.Equal([6, 1], eot);

        var (hfIds, _) = tok.EncodeBatch(["a photo of a cat"], padWithEndOfText: true);
        Assert.All(hfIds[7..], id => Assert.Equal(49407, id));
    }

    [Fact]
    public void LongTextsAreTruncatedToTheContextWithEndOfTextKeptLast()
    {
        var tok = HuggingFace.Value;
        var longCases = ReferenceCases().Where(c => c.Ids.Length > 77).ToList();
        Assert.NotEmpty(longCases);
        foreach (var (text, reference) in longCases)
        {
            var (ids, eot) = tok.EncodeBatch([text]);
            Assert.Equal(reference[..76], ids[..76]);
            Assert.Equal(49407, ids[76]);
            Assert.Equal([76], eot);
        }
        var e = Assert.Throws<ArgumentException>(() => tok.EncodeBatch([longCases[0].Text], truncate: false));
        Assert.Contains("context length 77", e.Message);
        var (short8, eot8) = tok.EncodeBatch(["a photo of a cat sitting on a mat"], contextLength: 8);
        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 4919, 49407], short8);
        Assert.Equal([7], eot8);
    }

    [Theory]
    [InlineData("a photo of a cat")]
    [InlineData("café naïve 日本語 привет мир")]
    [InlineData("😀 emoji 🐶")]
    public void DecodingTheIdsOfCleanTextGivesTheTextBack(string text)
    {
        Assert.Equal(text, HuggingFace.Value.Decode(HuggingFace.Value.Encode(text)));
    }

    [Fact]
    public void DecodeKeepsSpecialTokensWhenAskedAndRejectsUnknownIds()
    {
        var tok = HuggingFace.Value;
        Assert.Equal("<|startoftext|>hello <|endoftext|>", tok.Decode(tok.Encode("hello"), skipSpecialTokens: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => tok.Decode([49408]));
    }

    [Fact]
    public void TokenizeShowsTheWordEndMarkers()
    {
        Assert.Equal(["hello</w>", "world</w>"], HuggingFace.Value.Tokenize("Hello   WORLD"));
    }

    [Fact]
    public void MissingOrCorruptTokenizerFilesGiveErrorsNamingTheFile()
    {
        using var tmp = new TempDir();
        Assert.Throws<FileNotFoundException>(() => ClipTokenizer.FromHuggingFace(tmp.File("vocab.json"), tmp.File("merges.txt")));
        Assert.Throws<FileNotFoundException>(() => ClipTokenizer.FromDirectory(tmp.Path));

        File.WriteAllText(tmp.File("vocab.json"), "{ not json");
        File.WriteAllText(tmp.File("merges.txt"), "#version: 0.2\ni n\n");
        var e1 = Assert.Throws<TokenizerFormatException>(() => ClipTokenizer.FromDirectory(tmp.Path));
        Assert.Contains("vocab.json", e1.Message);

        File.Copy(Fixture("vocab.json"), tmp.File("vocab.json"), overwrite: true);
        File.WriteAllText(tmp.File("merges.txt"), "#version: 0.2\ni n\nthis line has three\n");
        var e2 = Assert.Throws<TokenizerFormatException>(() => ClipTokenizer.FromDirectory(tmp.Path));
        Assert.Contains("line 3", e2.Message);
        Assert.Contains("merges.txt", e2.Message);

        File.WriteAllText(tmp.File("merges.txt"), "#version: 0.2\nq zzzz\n");
        Assert.Contains("not in the vocabulary", Assert.Throws<TokenizerFormatException>(() => ClipTokenizer.FromDirectory(tmp.Path)).Message);

        File.WriteAllBytes(tmp.File("bpe.txt.gz"), [1, 2, 3, 4]);
        Assert.Contains("gzip", Assert.Throws<TokenizerFormatException>(() => ClipTokenizer.FromOpenAiBpe(tmp.File("bpe.txt.gz"))).Message);
    }

    [Fact]
    public void AVocabularyWithoutTheSpecialTokensIsRejected()
    {
        using var tmp = new TempDir();
        var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Fixture("vocab.json")))!;
        vocab.Remove("<|endoftext|>");
        File.WriteAllText(tmp.File("vocab.json"), JsonSerializer.Serialize(vocab));
        File.Copy(Fixture("merges.txt"), tmp.File("merges.txt"));
        Assert.Contains("<|endoftext|>", Assert.Throws<TokenizerFormatException>(() => ClipTokenizer.FromDirectory(tmp.Path)).Message);
    }

    [Fact]
    public void TheByteMapCoversAll256BytesWithDistinctPrintableCharacters()
    {
        Assert.Equal(256, ByteUnicodeMap.ByteToChar.Distinct().Count());
        Assert.All(ByteUnicodeMap.ByteToChar, c => Assert.False(char.IsWhiteSpace(c) || char.IsControl(c)));
        Assert.Equal('!', ByteUnicodeMap.Symbols[0]);
        Assert.Equal('\u0100', ByteUnicodeMap.ByteToChar[0]);
        Assert.Equal('\u0120', ByteUnicodeMap.ByteToChar[' ']);
    }
}
