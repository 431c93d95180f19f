namespace Actors.World;

/// <summary>
/// The ground truth of one scene: everything the renderer needs. <see cref="Variation"/> seeds the background
/// texture's phase and noise, so two scenes with equal factors can still differ in pixels.
/// <see cref="Word"/> is an optional word (lower case, letters a–z) written on the image.
/// </summary>
public sealed record SceneFactors(
    Shape Shape,
    ObjectColour Colour,
    ObjectSize Size,
    Position Position,
    Background Background,
    string? Word,
    ulong Variation)
{
    public SceneFactors WithoutWord() => this with { Word = null };
}
