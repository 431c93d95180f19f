using System.Globalization;
using System.Text;
using System.Text.Json;
using Actors.Vision.Tests.Checkpoints;
using Actors.Vision.Tokenization;
using Xunit.Abstractions;

namespace Actors.Vision.Tests.Tokenization;

/// <summary>
/// Our text clean-up against Python's own: text_normalization.json was written by
/// tests/fixtures-src/tokenizer/make_text_normalization.py from Python's str.lower, html.unescape, re and
/// unicodedata. ftfy could not be installed where it was generated, so its fix_text values are hand-written from
/// ftfy's documentation (the file's "ftfy" field says which); re-running the script where ftfy is installed checks them.
/// </summary>
public class TextNormalizationTests(ITestOutputHelper output)
{
    sealed record Case(string Note, string Text, string FixText, string OpenAi, string HuggingFaceFast, string PythonLower, string HtmlUnescape);

    static readonly Lazy<JsonDocument> Fixture = new(() =>
        JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture("tokenizer", "text_normalization.json"))));

    static JsonElement Root => Fixture.Value.RootElement;

    static List<Case> Cases() => Root.GetProperty("cases").EnumerateArray().Select(c => new Case(
        c.GetProperty("note").GetString()!, c.GetProperty("text").GetString()!, c.GetProperty("fix_text").GetString()!,
        c.GetProperty("openai").GetString()!, c.GetProperty("huggingface_fast").GetString()!,
        c.GetProperty("python_lower").GetString()!, c.GetProperty("html_unescape").GetString()!)).ToList();

    static string Show(string s) => JsonSerializer.Serialize(s);

    void AssertEveryCase(string what, Func<Case, string> expected, Func<string, string> actual)
    {
        output.WriteLine($"fixture: Python {Root.GetProperty("python")}, Unicode {Root.GetProperty("unicode")}; {Root.GetProperty("ftfy")}");
        var cases = Cases();
        Assert.True(cases.Count >= 30, $"only {cases.Count} cases");
        var wrong = cases.Select(c => (c, got: actual(c.Text))).Where(x => x.got != expected(x.c))
            .Select(x => $"{x.c.Note}: {Show(x.c.Text)} → expected {Show(expected(x.c))}, got {Show(x.got)}").ToList();
        Assert.True(wrong.Count == 0, $"{what}:\n{string.Join("\n", wrong)}");
    }

    [Fact]
    public void TheOpenAiCleaningGivesWhatPythonsBasicCleanWhitespaceCleanAndLowerGive() =>
        AssertEveryCase("openai", c => c.OpenAi, t => ClipTextCleaner.Clean(t, ClipTextNormalization.OpenAi));

    [Fact]
    public void TheHuggingFaceCleaningGivesWhatTheFastTokenizersNormalizerGives() =>
        AssertEveryCase("huggingface_fast", c => c.HuggingFaceFast, t => ClipTextCleaner.Clean(t, ClipTextNormalization.HuggingFaceFast));

    [Fact]
    public void TextFixerGivesFtfysFixTextOnEveryCase() =>
        AssertEveryCase("fix_text", c => c.FixText, TextFixer.FixText);

    [Fact]
    public void TheDocumentedMojibakeCasesAreInTheFixtureAndRepaired()
    {
        var mojibake = Cases().Where(c => c.Note.Contains("mojibake")).ToList();
        Assert.Equal(2, mojibake.Count);
        foreach (var c in mojibake) Assert.Equal(c.FixText, TextFixer.FixText(c.Text));
    }

    [Fact]
    public void PythonHtmlUnescapesEveryCaseAsHtmlUnescapeDoes() =>
        AssertEveryCase("html.unescape", c => c.HtmlUnescape, PythonHtml.Unescape);

    [Fact]
    public void PythonHtmlFollowsHtml5sReferenceRulesAsHtmlUnescapeDoes()
    {
        var wrong = Root.GetProperty("html_cases").EnumerateArray()
            .Select(c => (Text: c.GetProperty("text").GetString()!, Expected: c.GetProperty("html_unescape").GetString()!))
            .Where(c => PythonHtml.Unescape(c.Text) != c.Expected)
            .Select(c => $"{Show(c.Text)} → expected {Show(c.Expected)}, got {Show(PythonHtml.Unescape(c.Text))}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void PythonCaseLowerGivesStrLowerOnEveryCaseIncludingFinalSigmaAndDottedI() =>
        AssertEveryCase("str.lower", c => c.PythonLower, PythonCase.Lower);

    [Fact]
    public void ToLowerInvariantIsNotPythonsLowerWhichIsWhyPythonCaseExists()
    {
        Assert.Equal("i\u0307stanbul", PythonCase.Lower("İstanbul"));
        Assert.NotEqual(PythonCase.Lower("İstanbul"), "İstanbul".ToLowerInvariant());
        Assert.Equal("οδος", PythonCase.Lower("ΟΔΟΣ"));
        Assert.Equal("οδοσ", PythonCase.LowerEachCharacter("ΟΔΟΣ"));
        Assert.Equal("οδοσ", "ΟΔΟΣ".ToLowerInvariant());
    }

    static List<(int First, int Last)> Ranges(string name) => Root.GetProperty(name).EnumerateArray()
        .Select(r => (r[0].GetInt32(), r[1].GetInt32())).ToList();

    static IEnumerable<int> AssignedInPythonsUnicode()
    {
        var unassigned = new HashSet<int>(Ranges("unassigned").SelectMany(r => Enumerable.Range(r.First, r.Last - r.First + 1)));
        for (int cp = 0; cp <= 0x10FFFF; cp++)
            if (cp is < 0xD800 or > 0xDFFF && !unassigned.Contains(cp)) yield return cp;
    }

    [Fact]
    public void EveryAssignedCodePointLowersAsPythonLowersIt()
    {
        var python = Root.GetProperty("lower").EnumerateArray().ToDictionary(e => e[0].GetInt32(), e => e[1].GetString()!);
        var wrong = new List<string>();
        int checkedCount = 0;
        foreach (int cp in AssignedInPythonsUnicode())
        {
            string s = char.ConvertFromUtf32(cp), expected = python.GetValueOrDefault(cp, s);
            if (PythonCase.LowerEachCharacter(s) != expected) wrong.Add($"U+{cp:X4} → {Show(PythonCase.LowerEachCharacter(s))}, Python {Show(expected)}");
            checkedCount++;
        }
        output.WriteLine($"{checkedCount} code points, {python.Count} of which Python lowers; {wrong.Count} differ");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Take(40)));
    }

    /// <summary>Characters whose properties changed between Python 3.11's Unicode 14 and .NET's newer Unicode.</summary>
    static readonly Dictionary<int, string> UnicodeVersionChanges = new()
    {
        [0x1171E] = "AHOM CONSONANT SIGN MEDIAL RA: Mn (case-ignorable) in Unicode 14, Mc since Unicode 15",
    };

    [Fact]
    public void CaseIgnorableAndCasedMatchWhatPythonsFinalSigmaRuleSees()
    {
        // The fixture probed str.lower: which characters it skips (case-ignorable) and which count as cased.
        var ignorable = Ranges("sigma_case_ignorable");
        var cased = Ranges("sigma_cased");
        static bool In(List<(int First, int Last)> ranges, int cp) => ranges.Any(r => cp >= r.First && cp <= r.Last);
        var wrong = new List<string>();
        foreach (int cp in AssignedInPythonsUnicode().Where(cp => !UnicodeVersionChanges.ContainsKey(cp)))
        {
            bool ig = PythonCase.IsCaseIgnorable(cp), ca = !ig && PythonCase.IsCased(cp);
            if (ig != In(ignorable, cp) || ca != In(cased, cp))
                wrong.Add($"U+{cp:X4} {CharUnicodeInfo.GetUnicodeCategory(cp)}: ours ignorable={ig} cased={ca}, Python ignorable={In(ignorable, cp)} cased={In(cased, cp)}");
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} differ:\n{string.Join("\n", wrong.Take(40))}");
    }

    [Fact]
    public void PythonWhitespaceIsStrIsspaceOnEveryCodePoint()
    {
        var python = Root.GetProperty("isspace").EnumerateArray().Select(e => e.GetInt32()).ToHashSet();
        for (int cp = 0; cp <= 0x10FFFF; cp++)
            if (cp is < 0xD800 or > 0xDFFF)
                Assert.True(python.Contains(cp) == ClipTextCleaner.IsPythonSpace(new Rune(cp)), $"U+{cp:X4}");
    }

    [Fact]
    public void ALoneSurrogateBecomesTheReplacementCharacterAndAPairStaysItsCharacter()
    {
        Assert.Equal("😀 lone \uFFFD end", TextFixer.FixText("\uD83D\uDE00 lone \uD800 end"));
        Assert.Equal("\uFFFD x", ClipTextCleaner.Clean("\uDC00 X", ClipTextNormalization.HuggingFaceFast));
    }

    [Fact]
    public void FtfyUnescapesOnlyReferencesEndingInSemicolonAndStopsAtTheFirstLineWithAnAngleBracket()
    {
        Assert.Equal("this&not that", TextFixer.FixText("this&not that"));
        Assert.Equal("€", TextFixer.FixText("&#128;"));           // html.unescape's Windows-1252 reading, holds no ';'
        Assert.Equal("x & y\n<br>\n&amp;", TextFixer.FixText("x &amp; y\n<br>\n&amp;"));
    }
}
