using System.Text;
using Actors.Vision.Tokenization;

namespace Actors.Vision.Tests.Tokenization;

/// <summary>
/// Mojibake repair against codecs that are not ours: the corruption is made by .NET's own Windows-1252
/// (System.Text.Encoding.CodePages) and Latin-1 decoders reading UTF-8 bytes, once or twice, and the repair must give
/// back what ftfy.fix_text gives for the uncorrupted text; uncorrupted text in many scripts must come out of the repair unchanged.
/// </summary>
public class Utf8MojibakeTests
{
    static Utf8MojibakeTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Real text in Latin, Greek, Cyrillic, CJK and Arabic scripts, with symbols and emoji.</summary>
    static readonly string[] Texts =
    [
        "café crème", "naïve façade", "São Paulo", "Größe der Straße", "ÉTÉ À PARIS", "Dvořák – Symfonie č. 9",
        "Łódź, Kraków i Gdańsk", "Ελληνικά γράμματα", "привет, мир", "Россия и Сибирь", "日本語のテキスト", "中文字符",
        "العربية", "5 € — 10 £ × 2 ± 1 °C", "“quoted” ‘text’ … ©®™", "emoji 😀 and 🐦 on 🌊", "¿Qué tal? ¡Olé!",
        "Ångström Æsir Øresund", "œuvre Œdipe", "Ñandú", "Ú Ý Þ ß à á", "✔ No problems", "plain ASCII stays",
    ];

    static string Misread(string text, Encoding wrong) => wrong.GetString(Encoding.UTF8.GetBytes(text));

    static Encoding Windows1252 => Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ReplacementFallback);

    public static IEnumerable<object[]> Corruptions() =>
        from text in Texts
        from codec in new[] { "windows-1252", "latin-1" }
        select new object[] { text, codec };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void UtfEightReadAsALegacyCodePageIsRepaired(string text, string codec)
    {
        var wrong = codec == "latin-1" ? Encoding.Latin1 : Windows1252;
        string mojibake = Misread(text, wrong);
        if (wrong == Windows1252 && mojibake.Contains('\uFFFD')) return;   // .NET's 1252 has no character for 0x81, 0x8D, 0x8F, 0x90, 0x9D
        Assert.Equal(TextFixer.FixText(text), TextFixer.FixText(mojibake));
    }

    [Fact]
    public void TheCodecsReallyCorruptMostTexts()
    {
        // Guards the theory above against a codec that silently round-trips (which would make it test nothing).
        int corrupted = Texts.Count(t => Misread(t, Windows1252) != t && Misread(t, Encoding.Latin1) != t);
        Assert.True(corrupted >= Texts.Length - 1, $"{corrupted} of {Texts.Length}");
    }

    [Fact]
    public void TextMangledTwiceIsRepairedTwice()
    {
        foreach (var text in new[] { "café crème", "привет", "— dash", "Łódź" })
        {
            string twice = Misread(Misread(text, Encoding.Latin1), Encoding.Latin1);
            Assert.Equal(TextFixer.FixText(text), TextFixer.FixText(twice));
        }
    }

    [Fact]
    public void UncorruptedTextIsLeftAlone()
    {
        foreach (var text in Texts) Assert.Equal(text, Utf8Mojibake.Repair(text));
    }

    [Theory]
    [InlineData("Ã€", "À")]
    [InlineData("Ã€€", "À€")]
    [InlineData("â€”", "—")]
    [InlineData("ðŸ˜€", "😀")]
    [InlineData("Â\u0080", "\u0080")]
    public void WellFormedSequencesAreDecoded(string text, string expected) => Assert.Equal(expected, Utf8Mojibake.Repair(text));

    [Theory]
    [InlineData("Ã", "a lead byte with nothing after it")]
    [InlineData("Ã a", "a lead byte followed by a non-continuation")]
    [InlineData("À€", "0xC0 is an overlong lead (RFC 3629)")]
    [InlineData("à€€", "0xE0 0x80 0x80 is an overlong three-byte form")]
    [InlineData("í\u00A0€", "0xED 0xA0 0x80 would be a surrogate")]
    [InlineData("ô\u0090€€", "0xF4 0x90 is past U+10FFFF")]
    public void IllFormedSequencesAreLeftAlone(string text, string why) =>
        Assert.True(Utf8Mojibake.Repair(text) == text, $"{why}: became {Utf8Mojibake.Repair(text)}");
}
