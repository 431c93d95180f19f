namespace Actors.Vision.Imaging;

/// <summary>A file could not be decoded (corrupt, truncated, unsupported); the message names the file and the reason.</summary>
public sealed class ImageDecodeException : Exception
{
    public string FileName { get; }
    public string Reason { get; }

    public ImageDecodeException(string fileName, string reason, Exception? inner = null)
        : base($"Cannot decode image '{fileName}': {reason}", inner)
    {
        FileName = fileName;
        Reason = reason;
    }
}
