namespace Actors.World.Training;

/// <summary>
/// Where training pairs come from. A batch must be a pure function of (step, batch size), so a run resumed from
/// a checkpoint at step k sees exactly the batches an uninterrupted run would.
/// </summary>
public interface IClipTrainingData
{
    /// <summary>pixels (B,3,S,S) normalised, ids (B,T) token ids, eot (B) end-of-text position of each row.</summary>
    void FillBatch(int step, int batch, Span<float> pixels, Span<int> ids, Span<int> eot);
}
