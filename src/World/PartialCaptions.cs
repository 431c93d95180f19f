using Actors.Tensors;

namespace Actors.World;

/// <summary>Which of a scene's factors a partial caption mentions.</summary>
public readonly record struct Mentions(bool Shape, bool Colour, bool Size, bool Position, bool Background, bool Word)
{
    public bool Any => Shape || Colour || Size || Position || Background || Word;
}

/// <summary>
/// Captions that describe only some of a scene's factors, as web alt-text does ("a photo of a star", "a red object
/// on water", "a photo with the word red written on it"). The full captions of <see cref="CaptionWriter"/> always
/// name colour and shape together, so a text tower trained only on them never learns what a caption that names one
/// factor alone means: measured on world-clip at step 4,100, the word prompt "a photo with the word X written on it"
/// picked the written word for 0.33 of scenes while the full caption with the scene's true colour and shape picked
/// it for 0.94 — the image tower reads, the text tower did not understand the short prompt. Zero-shot prompts
/// (Radford et al. 2021, Sec. 3.1.4: "a photo of a {label}") are phrases of this grammar; the images they are
/// evaluated on are held-out scenes.
/// </summary>
public static class PartialCaptions
{
    /// <summary>
    /// A random non-empty subset of the scene's factors (a word only when the scene has one).
    /// <paramref name="shape"/> forces the shape to be mentioned (inside hard-negative groups it is what differs).
    /// </summary>
    public static Mentions Choose(SceneFactors f, SplitMix64 rng, bool shape = false)
    {
        while (true)
        {
            var m = new Mentions(
                Shape: shape || rng.NextDouble() < 0.55,
                Colour: rng.NextDouble() < 0.45,
                Size: rng.NextDouble() < 0.25,
                Position: rng.NextDouble() < 0.25,
                Background: rng.NextDouble() < 0.45,
                Word: f.Word is not null && rng.NextDouble() < 0.7);
            if (m.Any) return m;
        }
    }

    /// <summary>The caption naming exactly the factors in <paramref name="m"/>, in one of a few phrasings.</summary>
    public static string Write(SceneFactors f, Mentions m, SplitMix64 rng)
    {
        if (!m.Any) throw new ArgumentException("a caption must mention at least one factor", nameof(m));
        if (m.Word && f.Word is null) throw new ArgumentException("the scene has no written word to mention", nameof(m));
        string prefix = rng.Pick(Prefixes);
        string word = m.Word ? $"the word {f.Word} written on it" : "";
        if (!(m with { Word = false }).Any)
            return prefix.Length == 0 ? $"the word {f.Word}" : $"{prefix.TrimEnd()[..^3]} with {word}";   // "a photo with the word X written on it"

        var adjectives = new List<string>(2);
        if (m.Size) adjectives.Add(WorldNames.Name(f.Size));
        if (m.Colour) adjectives.Add(WorldNames.Name(f.Colour));
        string noun = m.Shape ? WorldNames.Name(f.Shape) : adjectives.Count > 0 ? "object" : "something";
        string phrase = noun == "something" ? noun : $"a {string.Join(' ', adjectives.Append(noun))}";
        var parts = new List<string> { prefix + phrase };
        if (m.Position) parts.Add($"in the {WorldNames.Name(f.Position)}");
        if (m.Background) parts.Add($"on {CaptionWriter.PlacePhrase(f.Background)}");
        if (m.Word) parts.Add($"with {word}");
        return string.Join(' ', parts);
    }

    public static string Write(SceneFactors f, SplitMix64 rng, bool shape = false) => Write(f, Choose(f, rng, shape), rng);

    /// <summary>
    /// A caption that transcribes the scene's written word as if it were the subject ("duck", "a photo of a duck"), as
    /// web alt-text often does for pictures of signs, labels and posters: the pairing through which CLIP learns to
    /// read its way into typographic attacks (Goh et al. 2021; seed 001 Sec. 3.4). The phrasings are those of the
    /// captions that name a shape, so nothing in the text tells a transcribed word from an object.
    /// </summary>
    public static string Transcription(string word, SplitMix64 rng) => rng.Pick(TranscriptionPrefixes) + word;

    static readonly string[] TranscriptionPrefixes = ["", "a ", "a photo of a ", "a picture of a "];

    static readonly string[] Prefixes = ["a photo of ", "a picture of ", ""];
}
