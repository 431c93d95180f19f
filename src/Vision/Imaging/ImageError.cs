namespace Actors.Vision.Imaging;

/// <summary>One input of a batch that could not be used, and why.</summary>
public sealed record ImageError(string Path, string Message);
