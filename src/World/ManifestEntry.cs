using System.Text.Json;
using System.Text.Json.Serialization;

namespace Actors.World;

/// <summary>
/// One line of a world manifest (JSON Lines, snake_case): where the image is (relative to the manifest), its label,
/// every factor, the caption, the spurious group and the written class where the split has them.
/// </summary>
public sealed record ManifestEntry(
    int WorldVersion,
    string Split,
    ulong Seed,
    int Index,
    string Path,
    int ImageSize,
    string Label,
    string Caption,
    string Shape,
    string Colour,
    string Size,
    string Position,
    string Background,
    string? Word,
    ulong Variation,
    string? Group,
    string? WrittenClass)
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static ManifestEntry From(WorldItem item, WorldSplit split, ulong seed, string path, int imageSize) => new(
        WorldManifest.WorldVersion, WorldSplits.Name(split), seed, item.Index, path, imageSize, item.Label, item.Caption,
        WorldNames.Name(item.Factors.Shape), WorldNames.Name(item.Factors.Colour), WorldNames.Name(item.Factors.Size),
        WorldNames.Name(item.Factors.Position), WorldNames.Name(item.Factors.Background), item.Factors.Word,
        item.Factors.Variation, item.Group, item.WrittenClass);

    /// <summary>The factors back from their names (so a reader can re-render the scene, e.g. without its word).</summary>
    public SceneFactors ToFactors() => new(
        WorldNames.Parse<World.Shape>(Shape), WorldNames.Parse<ObjectColour>(Colour), WorldNames.Parse<ObjectSize>(Size),
        WorldNames.Parse<World.Position>(Position), WorldNames.Parse<World.Background>(Background), Word, Variation);

    public string ToJsonLine() => JsonSerializer.Serialize(this, Json);
}
