namespace Actors.Sae.Training;

/// <summary>
/// A source whose read position cannot be recovered from a row count alone — e.g. CLIP activations over a corpus
/// where unreadable images yield no rows, so row n is not at a position computable without decoding every image
/// before it. The trainer checkpoints <see cref="Position"/> and restores it, instead of <see cref="IActivationSource.Seek"/>,
/// when it resumes.
/// </summary>
public interface IPositionedActivationSource : IActivationSource
{
    /// <summary>An opaque description of where the next row will be read from.</summary>
    string Position { get; }
    /// <summary>Puts the stream where <see cref="Position"/> said it was; the rows read next are the same ones.</summary>
    void Restore(string position);
}
