using Actors.Tensors;
using Actors.Vision.Imaging;
using Actors.Vision.Tokenization;
using Actors.World;

namespace Actors.World.Training;

/// <summary>
/// Training pairs from the synthetic world: a pool of scene factors + captions from the world generator, rendered
/// on the fly. The pool is the train split without the spurious split's classes, duck and bird (or, optionally, without
/// them on water and land only), plus the spurious-train split (ducks on water and birds on land 95% of the time), so
/// on water and land the spurious correlation of seed 001 Sec. 7.1 is what the model sees for those two classes, and the 30% of train scenes with a written word teach it to read (Sec. 7.2's weakness).
/// Batch k is a function of (seed, k). With group size 1 each epoch is a seeded permutation of the pool. With a
/// larger group size a batch is made of groups of hard negatives: scenes that share colour, background, size and
/// position, with different shapes where the pool allows. In a batch of random scenes colour, background and
/// position tell almost every caption apart, so a contrastive model never needs shape or the written word
/// (measured: shape 0.23 after 2,500 plain steps, 0.28 after 1,000 steps of groups sharing only colour and
/// background); inside these groups only shape and word differ. A grouped share below 1 fills the rest of each
/// batch with plain shuffled scenes, whose contrast is carried by colour, background and position again.
/// </summary>
public sealed class WorldClipTrainingData : IClipTrainingData
{
    readonly WorldItem[] _pool;
    readonly int[] _ids, _eot;
    readonly int _context, _imageSize;
    readonly ulong _seed;
    readonly ClipPreprocessor _preprocessor;
    readonly RgbImage?[] _rendered;   // each scene is rendered once: epochs revisit it, and rendering costs as much as a training step
    readonly WorldBatchRecipe _recipe;
    readonly ClipTokenizer _tokenizer;
    readonly int[][] _buckets;        // pool indices per (colour, background, size, position)
    readonly int[] _bucketOf;         // bucket of each pool item
    readonly int[][]? _waterClassOf, _landClassOf;  // per bucket, its ducks and its birds (only with pairTogether)
    int _epoch = -1;
    int[] _order = [];

    public IReadOnlyList<WorldItem> Pool => _pool;

    /// <param name="spuriousShare">Fraction of the pool from spurious-train (≈ 2/12 keeps duck and bird about as frequent as other shapes).</param>
    /// <param name="recipe">How batches are composed (default: plain shuffled batches of full captions).</param>
    public WorldClipTrainingData(ClipTokenizer tokenizer, ClipTrainingConfig config, ulong seed, int poolSize,
        ClipPreprocessor preprocessor, WorldBatchRecipe? recipe = null, double spuriousShare = 0.2)
    {
        _recipe = recipe ?? new WorldBatchRecipe();
        var (groupSize, groupedShare, partialShare, spuriousInGroups, spuriousClassesElsewhere, pairTogether, transcribedShare) = _recipe;
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        if (!(groupedShare is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(groupedShare), groupedShare, "the grouped share of a batch is a fraction in [0, 1]");
        if (!(partialShare is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(partialShare), partialShare, "the share of partial captions is a fraction in [0, 1]");
        if (!(transcribedShare is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(transcribedShare), transcribedShare, "the share of transcribed captions is a fraction in [0, 1]");
        _tokenizer = tokenizer;
        int spurious = (int)Math.Round(poolSize * spuriousShare);
        var plain = WorldSplits.Generate(WorldSplit.Train, (int)((poolSize - spurious) * 1.3) + 16, seed)
            .Where(i => i.Factors.Shape is not (WorldSplits.WaterClass or WorldSplits.LandClass)
                        || (spuriousClassesElsewhere && i.Factors.Background is not (Background.Water or Background.Land)))
            .Take(poolSize - spurious);
        _pool = plain.Concat(WorldSplits.Generate(WorldSplit.SpuriousTrain, spurious, seed)).ToArray();
        if (_pool.Length != poolSize) throw new InvalidOperationException($"world pool has {_pool.Length} scenes, expected {poolSize}");
        (_ids, _eot) = tokenizer.EncodeBatch(_pool.Select(i => i.Caption).ToArray(), config.ContextLength, truncate: true, padWithEndOfText: true);
        _rendered = new RgbImage?[_pool.Length];
        _context = config.ContextLength; _imageSize = config.ImageSize; _seed = seed; _preprocessor = preprocessor;
        if (preprocessor.FloatsPerImage != 3 * _imageSize * _imageSize)
            throw new ArgumentException($"preprocessor gives {preprocessor.FloatsPerImage} floats per image, the model needs 3·{_imageSize}²");
        var keys = _pool.Select(i => GroupKey(i.Factors)).ToArray();
        // Buckets too small for a group are left out of grouped batches (with the default pool, none is).
        _buckets = Enumerable.Range(0, _pool.Length).Where(i => spuriousInGroups || _pool[i].Group is null).GroupBy(i => keys[i]).OrderBy(g => g.Key).Select(g => g.ToArray())
            .Where(b => b.Length >= groupSize).ToArray();
        _bucketOf = Enumerable.Repeat(-1, _pool.Length).ToArray();
        for (int b = 0; b < _buckets.Length; b++) foreach (int i in _buckets[b]) _bucketOf[i] = b;
        if (_buckets.Length == 0)
            throw new ArgumentException($"no hard-negative bucket of the {_pool.Length}-scene pool holds {groupSize} scenes; use a larger pool or a smaller group");
        if (pairTogether && groupSize >= 2)
        {
            int[] Of(int[] bucket, Shape shape) => bucket.Where(i => _pool[i].Factors.Shape == shape).ToArray();
            _waterClassOf = _buckets.Select(b => Of(b, WorldSplits.WaterClass)).ToArray();
            _landClassOf = _buckets.Select(b => Of(b, WorldSplits.LandClass)).ToArray();
        }
    }

    /// <summary>The factors a hard-negative group shares.</summary>
    static int GroupKey(SceneFactors f) =>
        (((int)f.Colour * Enum.GetValues<Background>().Length + (int)f.Background) * 2 + (int)f.Size) * 9 + (int)f.Position;

    /// <summary>Pool indices of batch <paramref name="step"/>, in order.</summary>
    public int[] BatchItems(int step, int batch)
    {
        var items = new int[batch];
        int grouped = GroupedCount(batch);
        for (int b = grouped; b < batch; b++) items[b] = ItemAt(step, batch, b);
        if (grouped == 0) return items;
        // Groups: a bucket is drawn with probability proportional to its size (the pool's marginals are kept), a
        // bucket at most once per batch while unused ones remain; members are distinct scenes, of distinct shapes
        // while a few draws find a new one.
        var rng = new SplitMix64(SplitMix64.Derive(_seed, 0x6B0B, (ulong)step));
        var used = new HashSet<int>();
        for (int start = 0; start < grouped; start += _recipe.GroupSize)
        {
            int bucket;
            do bucket = _bucketOf[rng.NextInt(_pool.Length)]; while (bucket < 0 || (used.Count < _buckets.Length && !used.Add(bucket)));
            var members = _buckets[bucket];
            var taken = new HashSet<int>();
            var shapes = new HashSet<Shape>();
            int first = start;
            if (_waterClassOf is not null && _waterClassOf[bucket].Length > 0 && _landClassOf![bucket].Length > 0)
                foreach (var pair in new[] { _waterClassOf[bucket], _landClassOf[bucket] })
                {
                    int item = pair[rng.NextInt(pair.Length)];
                    taken.Add(item); shapes.Add(_pool[item].Factors.Shape); items[first++] = item;
                }
            for (int b = first; b < start + _recipe.GroupSize; b++)
            {
                int item, tries = 0;
                do item = members[rng.NextInt(members.Length)];
                while (taken.Contains(item) || (shapes.Contains(_pool[item].Factors.Shape) && ++tries < 16));
                taken.Add(item);
                shapes.Add(_pool[item].Factors.Shape);
                items[b] = item;
            }
        }
        return items;
    }

    /// <summary>Pairs at the start of each batch that belong to hard-negative groups.</summary>
    int GroupedCount(int batch) => _recipe.GroupSize == 1 ? 0 : (int)Math.Round(batch * _recipe.GroupedShare / _recipe.GroupSize) * _recipe.GroupSize;

    /// <summary>
    /// Caption of the b-th pair of batch <paramref name="step"/>: for a scene with a written word, with probability
    /// transcribedShare the word's transcription; otherwise the scene's full caption, or with probability partialShare
    /// a partial description. Drawn from (seed, step, b) — a pure function of the step, so resuming sees the same
    /// captions.
    /// </summary>
    public string CaptionAt(int step, int batch, int b, int item)
    {
        if (_recipe.TranscribedShare > 0 && _pool[item].Factors.Word is { } written)
        {
            var t = new SplitMix64(SplitMix64.Derive(_seed, 0x7E45, (ulong)step, (ulong)b));
            if (t.NextDouble() < _recipe.TranscribedShare) return PartialCaptions.Transcription(written, t);
        }
        if (_recipe.PartialShare == 0) return _pool[item].Caption;
        var rng = new SplitMix64(SplitMix64.Derive(_seed, 0xCA97, (ulong)step, (ulong)b));
        return rng.NextDouble() < _recipe.PartialShare
            ? PartialCaptions.Write(_pool[item].Factors, rng, shape: b < GroupedCount(batch))
            : _pool[item].Caption;
    }

    /// <summary>Pool index of the b-th pair of batch <paramref name="step"/>.</summary>
    public int ItemAt(int step, int batch, int b)
    {
        long position = (long)step * batch + b;
        int epoch = (int)(position / _pool.Length);
        if (epoch != _epoch)
        {
            _order = Enumerable.Range(0, _pool.Length).ToArray();
            new SplitMix64(SplitMix64.Derive(_seed, 0x7EA1, (ulong)epoch)).Shuffle(_order);
            _epoch = epoch;
        }
        return _order[(int)(position % _pool.Length)];
    }

    public void FillBatch(int step, int batch, Span<float> pixels, Span<int> ids, Span<int> eot)
    {
        int per = 3 * _imageSize * _imageSize;
        var items = BatchItems(step, batch);
        var images = new float[batch * per];
        Parallel.For(0, batch, b =>
            _preprocessor.Preprocess(_rendered[items[b]] ??= SceneRenderer.Render(_pool[items[b]].Factors, _imageSize), images.AsSpan(b * per, per)));
        images.CopyTo(pixels);
        for (int b = 0; b < batch; b++)
        {
            string caption = CaptionAt(step, batch, b, items[b]);
            if (ReferenceEquals(caption, _pool[items[b]].Caption))
            {
                _ids.AsSpan(items[b] * _context, _context).CopyTo(ids.Slice(b * _context, _context));
                eot[b] = _eot[items[b]];
                continue;
            }
            var (rowIds, rowEot) = _tokenizer.EncodeBatch([caption], _context, truncate: true, padWithEndOfText: true);
            rowIds.CopyTo(ids.Slice(b * _context, _context));
            eot[b] = rowEot[0];
        }
    }
}
