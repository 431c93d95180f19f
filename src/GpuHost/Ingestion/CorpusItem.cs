namespace Actors.GpuHost.Ingestion;

/// <summary>One image of a corpus: its id within the corpus (relative path or manifest entry), where to read it, its label.</summary>
public sealed record CorpusItem(string ImageId, string Location, string? Label);
