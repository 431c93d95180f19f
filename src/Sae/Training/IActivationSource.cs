namespace Actors.Sae.Training;

/// <summary>
/// A stream of activation rows (tokens × d_in) for training and evaluation — e.g. a CLIP residual stream over an
/// image corpus at a hook. Pull-based so the trainer controls batching; <see cref="Seek"/> lets a resumed run
/// continue at the exact row it stopped at.
/// </summary>
public interface IActivationSource
{
    int DIn { get; }
    /// <summary>Writes up to <paramref name="maxRows"/> rows into destination; returns how many (0 = exhausted).</summary>
    int Read(Span<float> destination, int maxRows);
    /// <summary>Positions the stream so the next row read is row number <paramref name="row"/> from the start.</summary>
    void Seek(long row);
}

/// <summary>Rows held in memory.</summary>
public sealed class ArrayActivationSource(float[] rows, int dIn) : IActivationSource
{
    long position;
    public int DIn => dIn;
    public long RowCount => rows.Length / dIn;
    public int Read(Span<float> destination, int maxRows)
    {
        int n = (int)Math.Min(maxRows, RowCount - position);
        rows.AsSpan((int)(position * dIn), n * dIn).CopyTo(destination);
        position += n;
        return n;
    }
    public void Seek(long row) => position = Math.Clamp(row, 0, RowCount);
}
