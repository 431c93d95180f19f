using Actors.Tensors;

namespace Actors.World;

/// <summary>
/// Captions made from a scene's factors with several templates, so a contrastive model sees each factor phrased
/// in more than one way. The template is chosen by the caller's generator (deterministic per scene).
/// </summary>
public static class CaptionWriter
{
    private static readonly Func<SceneFactors, string>[] Templates =
    [
        f => $"a photo of a {Size(f)} {Colour(f)} {Shape(f)} on {Place(f)}",
        f => $"a {Colour(f)} {Shape(f)}",
        f => $"a {Size(f)} {Colour(f)} {Shape(f)} in the {Where(f)}",
        f => $"a {Shape(f)} that is {Colour(f)}, on {Place(f)}",
        f => $"a picture of a {Colour(f)} {Shape(f)} on a {Background(f)} background",
        f => $"{Colour(f)} {Shape(f)}, {Size(f)}, {Where(f)}, {Place(f)}",
    ];

    public static int TemplateCount => Templates.Length;

    /// <summary>Caption with template <paramref name="template"/>; a written word is always mentioned.</summary>
    public static string Write(SceneFactors f, int template)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(template);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(template, Templates.Length);
        string caption = Templates[template](f);
        return f.Word is null ? caption : $"{caption} with the word {f.Word} written on it";
    }

    public static string Write(SceneFactors f, SplitMix64 rng) => Write(f, rng.NextInt(Templates.Length));

    /// <summary>Zero-shot prompts for the held-out evaluation of each factor.</summary>
    public static string ShapePrompt(Shape s) => $"a photo of a {WorldNames.Name(s)}";
    public static string ColourPrompt(ObjectColour c) => $"a photo of a {WorldNames.Name(c)} object";
    public static string BackgroundPrompt(Background b) => $"a photo of something on {PlacePhrase(b)}";
    public static string WordPrompt(string word) => $"a photo with the word {word} written on it";

    private static string Shape(SceneFactors f) => WorldNames.Name(f.Shape);
    private static string Colour(SceneFactors f) => WorldNames.Name(f.Colour);
    private static string Size(SceneFactors f) => WorldNames.Name(f.Size);
    private static string Where(SceneFactors f) => WorldNames.Name(f.Position);
    private static string Background(SceneFactors f) => WorldNames.Name(f.Background);
    private static string Place(SceneFactors f) => PlacePhrase(f.Background);

    public static string PlacePhrase(Background b) => b switch
    {
        World.Background.Plain => "a plain background",
        World.Background.Stripes => "stripes",
        World.Background.Dots => "dots",
        World.Background.Checker => "a checkerboard",
        World.Background.Water => "water",
        World.Background.Land => "land",
        _ => throw new ArgumentOutOfRangeException(nameof(b)),
    };
}
