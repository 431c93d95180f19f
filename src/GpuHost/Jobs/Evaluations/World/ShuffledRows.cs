using Actors.Sae.Training;
using Actors.Tensors;

namespace Actors.GpuHost.Jobs.Evaluations.World;

/// <summary>
/// Activation rows held in memory, served epoch after epoch, each epoch in its own order (a SplitMix64 shuffle seeded by
/// (seed, epoch)), so <see cref="Seek"/> reproduces any position. One forward per image however many epochs train on it.
/// </summary>
public sealed class ShuffledRows(float[] rows, int dIn, ulong seed) : IActivationSource
{
    readonly int count = rows.Length / dIn;
    int[] order = [];
    long epoch = -1;
    int cursor;

    public int DIn => dIn;

    public int Read(Span<float> destination, int maxRows)
    {
        if (count == 0) return 0;
        for (int r = 0; r < maxRows; r++)
        {
            if (epoch < 0 || cursor == count) Start(epoch + 1);
            rows.AsSpan(order[cursor++] * dIn, dIn).CopyTo(destination.Slice(r * dIn, dIn));
        }
        return maxRows;
    }

    public void Seek(long row)
    {
        if (count == 0) return;
        Start(row / count);
        cursor = (int)(row % count);
    }

    void Start(long next)
    {
        epoch = next;
        order = Enumerable.Range(0, count).ToArray();
        new SplitMix64(SplitMix64.Derive(seed, (ulong)next)).Shuffle(order);
        cursor = 0;
    }
}
