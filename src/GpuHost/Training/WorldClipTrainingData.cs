using Actors.GpuHost.Imaging;
using Actors.GpuHost.Tokenization;
using Actors.GpuHost.World;

namespace Actors.GpuHost.Training;

/// <summary>
/// Training pairs from the synthetic world: a pool of scene factors + captions from the world generator, rendered
/// on the fly. The pool is the train split without ducks and trees, plus the spurious-train split (ducks on water
/// and trees on land 95% of the time), so the spurious correlation of seed 001 Sec. 7.1 is what the model sees for
/// those two classes, and the 30% of train scenes with a written word teach it to read (Sec. 7.2's weakness).
/// Batch k is a function of (seed, k): each epoch is a seeded permutation of the pool.
/// </summary>
public sealed class WorldClipTrainingData : IClipTrainingData
{
    readonly WorldItem[] _pool;
    readonly int[] _ids, _eot;
    readonly int _context, _imageSize;
    readonly ulong _seed;
    readonly ClipPreprocessor _preprocessor;
    readonly RgbImage?[] _rendered;   // each scene is rendered once: epochs revisit it, and rendering costs as much as a training step
    int _epoch = -1;
    int[] _order = [];

    public IReadOnlyList<WorldItem> Pool => _pool;

    /// <param name="spuriousShare">Fraction of the pool from spurious-train (≈ 2/11 keeps duck and tree as frequent as other shapes).</param>
    public WorldClipTrainingData(ClipTokenizer tokenizer, ClipTrainingConfig config, ulong seed, int poolSize,
        ClipPreprocessor preprocessor, double spuriousShare = 0.2)
    {
        int spurious = (int)Math.Round(poolSize * spuriousShare);
        var plain = WorldSplits.Generate(WorldSplit.Train, (int)((poolSize - spurious) * 1.3) + 16, seed)
            .Where(i => i.Factors.Shape is not (WorldSplits.WaterClass or WorldSplits.LandClass))
            .Take(poolSize - spurious);
        _pool = plain.Concat(WorldSplits.Generate(WorldSplit.SpuriousTrain, spurious, seed)).ToArray();
        if (_pool.Length != poolSize) throw new InvalidOperationException($"world pool has {_pool.Length} scenes, expected {poolSize}");
        (_ids, _eot) = tokenizer.EncodeBatch(_pool.Select(i => i.Caption).ToArray(), config.ContextLength, truncate: true, padWithEndOfText: true);
        _rendered = new RgbImage?[_pool.Length];
        _context = config.ContextLength; _imageSize = config.ImageSize; _seed = seed; _preprocessor = preprocessor;
        if (preprocessor.FloatsPerImage != 3 * _imageSize * _imageSize)
            throw new ArgumentException($"preprocessor gives {preprocessor.FloatsPerImage} floats per image, the model needs 3·{_imageSize}²");
    }

    /// <summary>Pool index of the b-th pair of batch <paramref name="step"/>.</summary>
    public int ItemAt(int step, int batch, int b)
    {
        long position = (long)step * batch + b;
        int epoch = (int)(position / _pool.Length);
        if (epoch != _epoch)
        {
            _order = Enumerable.Range(0, _pool.Length).ToArray();
            new WorldRandom(WorldRandom.Derive(_seed, 0x7EA1, (ulong)epoch)).Shuffle(_order);
            _epoch = epoch;
        }
        return _order[(int)(position % _pool.Length)];
    }

    public void FillBatch(int step, int batch, Span<float> pixels, Span<int> ids, Span<int> eot)
    {
        int per = 3 * _imageSize * _imageSize;
        var items = new int[batch];
        for (int b = 0; b < batch; b++) items[b] = ItemAt(step, batch, b);
        var images = new float[batch * per];
        Parallel.For(0, batch, b =>
            _preprocessor.Preprocess(_rendered[items[b]] ??= SceneRenderer.Render(_pool[items[b]].Factors, _imageSize), images.AsSpan(b * per, per)));
        images.CopyTo(pixels);
        for (int b = 0; b < batch; b++)
        {
            _ids.AsSpan(items[b] * _context, _context).CopyTo(ids.Slice(b * _context, _context));
            eot[b] = _eot[items[b]];
        }
    }
}
