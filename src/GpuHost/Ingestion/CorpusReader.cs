using System.Text.Json;
using Actors.Grains.Registry;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Lists a corpus in a fixed order (batch ids are positions in it, so a resumed run sees the same batches).
/// A folder: every file below it, sorted by relative path; a file inside a sub-folder is labelled with that
/// sub-folder's name (class per sub-folder). A manifest: JSON Lines with "path" (or "url") and optional "label",
/// or CSV with a header naming path and optionally label; relative paths are read against the manifest's folder.
/// Non-image files are not filtered here: decoding reports them per item.
/// </summary>
public static class CorpusReader
{
    public static IReadOnlyList<CorpusItem> Read(CorpusSource source) => source.Kind switch
    {
        "folder" => ReadFolder(source.Path),
        "manifest" => ReadManifest(source.Path),
        _ => throw new ArtifactLoadException(source.Path, $"unknown corpus kind '{source.Kind}'"),
    };

    static IReadOnlyList<CorpusItem> ReadFolder(string folder)
    {
        if (!Directory.Exists(folder)) throw new ArtifactLoadException(folder, "corpus folder does not exist");
        var root = Path.GetFullPath(folder);
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(full => Path.GetRelativePath(root, full).Replace('\\', '/'))
            .Where(rel => !rel.Split('/').Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .Select(rel => new CorpusItem(rel, Path.Combine(root, rel), rel.Contains('/') ? rel[..rel.IndexOf('/')] : null))
            .ToList();
    }

    static IReadOnlyList<CorpusItem> ReadManifest(string manifest)
    {
        if (!File.Exists(manifest)) throw new ArtifactLoadException(manifest, "manifest file does not exist");
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(manifest))!;
        var lines = File.ReadAllLines(manifest);
        var items = manifest.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ParseCsv(lines, manifest) : ParseJsonLines(lines, manifest);
        return items.Select(i => i with { Location = Resolve(baseDir, i.Location) }).ToList();
    }

    static IEnumerable<CorpusItem> ParseJsonLines(string[] lines, string manifest)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int n = 0; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n])) continue;
            JsonElement row;
            try { row = JsonDocument.Parse(lines[n]).RootElement; }
            catch (JsonException e) { throw new ArtifactLoadException(manifest, $"line {n + 1} is not JSON: {e.Message}"); }
            string? path = Text(row, "path") ?? Text(row, "url") ?? Text(row, "image");
            if (path is null) throw new ArtifactLoadException(manifest, $"line {n + 1} has no \"path\" or \"url\"");
            string id = Text(row, "id") ?? path;
            if (!seen.Add(id)) throw new ArtifactLoadException(manifest, $"line {n + 1} repeats image id '{id}'");
            yield return new CorpusItem(id, path, Text(row, "label"));
        }
    }

    static IEnumerable<CorpusItem> ParseCsv(string[] lines, string manifest)
    {
        if (lines.Length == 0) yield break;
        var header = lines[0].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToArray();
        int pathAt = Array.FindIndex(header, h => h is "path" or "url" or "image");
        int labelAt = Array.IndexOf(header, "label");
        if (pathAt < 0) throw new ArtifactLoadException(manifest, "CSV header names no 'path' column");
        for (int n = 1; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n])) continue;
            var cells = lines[n].Split(',');
            if (cells.Length <= pathAt) throw new ArtifactLoadException(manifest, $"line {n + 1} has no path cell");
            string? label = labelAt >= 0 && labelAt < cells.Length && cells[labelAt].Trim().Length > 0 ? cells[labelAt].Trim() : null;
            yield return new CorpusItem(cells[pathAt].Trim(), cells[pathAt].Trim(), label);
        }
    }

    static string? Text(JsonElement row, string name) =>
        row.ValueKind == JsonValueKind.Object && row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static string Resolve(string baseDir, string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? location
            : Path.GetFullPath(Path.Combine(baseDir, location));
}
