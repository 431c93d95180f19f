using System.Text.Json;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Hosts;
using Actors.Grains.Registry;
using Orleans;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>
/// A registered corpus as steering reads it: its items in corpus order (<see cref="CorpusReader"/>, the order
/// ingestion batches) and each item's fields. A manifest line's fields are all its scalar properties — a world
/// manifest (src/World ManifestEntry) carries label, shape, colour, size, position, background, word, group
/// ("duck/water" on the spurious splits) and written_class (the typographic split); a CSV manifest's are its columns.
/// A folder corpus's only field is its label (the sub-folder). "label" is always the item's label.
/// </summary>
public sealed class CorpusEntries
{
    readonly Dictionary<string, int> byId;

    CorpusEntries(string corpusId, IReadOnlyList<CorpusItem> items, IReadOnlyList<IReadOnlyDictionary<string, string>> fields)
    {
        (CorpusId, Items, Fields) = (corpusId, items, fields);
        byId = new Dictionary<string, int>(items.Count, StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++) byId.TryAdd(items[i].ImageId, i);
    }

    public string CorpusId { get; }
    public IReadOnlyList<CorpusItem> Items { get; }
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Fields { get; }

    public int IndexOf(string imageId) => byId.GetValueOrDefault(imageId, -1);

    /// <summary>
    /// The corpus <paramref name="corpusId"/> read from its source; an unknown corpus or an unreadable source is the
    /// caller's fault about <paramref name="field"/> (<see cref="InvalidArtifactException"/>).
    /// </summary>
    public static async Task<CorpusEntries> LoadAsync(IGrainFactory grains, string corpusId, string field)
    {
        var source = (await grains.GetGrain<ICorpusGrain>(corpusId).GetAsync()).Source
            ?? throw new InvalidArtifactException(field, $"no corpus '{corpusId}' is registered");
        try { return Read(corpusId, source); }
        catch (Exception e) when (e is ArtifactLoadException or IOException or JsonException)
        {
            throw new InvalidArtifactException(field, $"corpus '{corpusId}': {e.Message}");
        }
    }

    /// <summary>The corpus read from its source; an unreadable one throws <see cref="ArtifactLoadException"/>, <see cref="IOException"/> or <see cref="JsonException"/>.</summary>
    public static CorpusEntries Read(string corpusId, CorpusSource source)
    {
        var items = CorpusReader.Read(source);
        return new CorpusEntries(corpusId, items, ReadFields(source, items));
    }

    /// <summary>
    /// The item's group: the values of <paramref name="groupBy"/> joined with '/', e.g. label × background
    /// ("duck/land"). A missing field is an error naming the image.
    /// </summary>
    public string GroupOf(int index, IReadOnlyList<string> groupBy) => string.Join('/', groupBy.Select(name =>
        Fields[index].TryGetValue(name, out var value) ? value
            : throw new InvalidDataException($"corpus '{CorpusId}': image '{Items[index].ImageId}' has no field '{name}' to group by")));

    /// <summary>Fields per item, aligned with <paramref name="items"/>: CorpusReader yields one item per non-blank manifest line.</summary>
    static IReadOnlyList<IReadOnlyDictionary<string, string>> ReadFields(CorpusSource source, IReadOnlyList<CorpusItem> items)
    {
        List<Dictionary<string, string>> fields;
        if (source.Kind != "manifest") fields = items.Select(_ => new Dictionary<string, string>(StringComparer.Ordinal)).ToList();
        else
        {
            var lines = File.ReadAllLines(source.Path);
            fields = source.Path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? CsvFields(lines) : JsonFields(lines);
            if (fields.Count != items.Count)
                throw new InvalidDataException($"{source.Path}: {fields.Count} manifest rows but {items.Count} images");
        }
        for (int i = 0; i < items.Count; i++)
            if (items[i].Label is { } label) fields[i]["label"] = label;
        return fields;
    }

    static List<Dictionary<string, string>> JsonFields(string[] lines) => lines.Where(l => !string.IsNullOrWhiteSpace(l)).Select(line =>
    {
        using var doc = JsonDocument.Parse(line);
        var row = new Dictionary<string, string>(StringComparer.Ordinal);
        if (doc.RootElement.ValueKind == JsonValueKind.Object)
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    row[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
        return row;
    }).ToList();

    static List<Dictionary<string, string>> CsvFields(string[] lines)
    {
        if (lines.Length == 0) return [];
        var header = lines[0].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToArray();
        return lines.Skip(1).Where(l => !string.IsNullOrWhiteSpace(l)).Select(line =>
        {
            var cells = line.Split(',');
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int c = 0; c < Math.Min(header.Length, cells.Length); c++)
                if (cells[c].Trim().Length > 0) row[header[c]] = cells[c].Trim();
            return row;
        }).ToList();
    }
}
