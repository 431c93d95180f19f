using System.Text.Json;

namespace Actors.World;

/// <summary>Reads and names world manifests ({dir}/{split}.jsonl next to {dir}/images/).</summary>
public static class WorldManifest
{
    /// <summary>Bumped whenever rendering or sampling changes, so old corpora are recognisable.</summary>
    /// Version 2: the land class of the spurious split is a land bird (new shape) instead of the tree.
    public const int WorldVersion = 2;

    public static string FileName(WorldSplit split) => $"{WorldSplits.Name(split)}.jsonl";

    public static IReadOnlyList<ManifestEntry> Read(string manifestPath)
    {
        var entries = new List<ManifestEntry>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(manifestPath))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                entries.Add(JsonSerializer.Deserialize<ManifestEntry>(line, ManifestEntry.Json)
                            ?? throw new JsonException("null entry"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{manifestPath}:{lineNumber}: not a world manifest entry: {e.Message}", e);
            }
        }
        return entries;
    }
}
