namespace Actors.Sae.Formats;

/// <summary>An SAE file or folder that cannot be read: the message names the file, the field or tensor, and what was expected.</summary>
public sealed class SaeFormatException(string message) : Exception(message);
