using Actors.World.Training;

namespace Actors.World.Tests.Training;

public class WorldClipTrainingTests
{
    static ClipTrainingConfig SmokeShape(int vocab) =>
        new(ImageSize: 64, PatchSize: 16, VisionWidth: 32, VisionLayers: 2, VisionHeads: 2,
            VocabSize: vocab, ContextLength: 16, TextWidth: 32, TextLayers: 2, TextHeads: 2, EmbedDim: 32);

    /// <summary>Runs <paramref name="test"/> with a fresh temporary folder, deleted afterwards.</summary>
    static void InTempDirectory(string prefix, Action<string> test)
    {
        string dir = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        try { test(dir); }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    /// <summary>A BPE vocabulary learned from 400 world captions in <paramref name="dir"/>, the smoke model shape and its preprocessor.</summary>
    static (Actors.Vision.Tokenization.ClipTokenizer, ClipTrainingConfig, Actors.Vision.Imaging.ClipPreprocessor) SmallWorld(string dir, int context)
    {
        var captions = Actors.World.WorldSplits.Generate(Actors.World.WorldSplit.Train, 400, 5).Select(i => i.Caption);
        Actors.Vision.Tokenization.BpeTrainer.TrainAndWrite(captions, dir, 600);
        var tokenizer = Actors.Vision.Tokenization.ClipTokenizer.FromDirectory(dir);
        var config = SmokeShape(tokenizer.VocabularySize) with { ContextLength = context };
        return (tokenizer, config, new Actors.Vision.Imaging.ClipPreprocessor(config.ImageSize));
    }

    [Fact]
    public void HardNegativeGroupsShareAllButShapeAndWordAndBatchesArePureFunctionsOfTheStep()
    {
        InTempDirectory("world-groups-", dir =>
        {
            var (tokenizer, config, preprocessor) = SmallWorld(dir, context: 16);
            var data = new WorldClipTrainingData(tokenizer, config, 5, 12000, preprocessor, new WorldBatchRecipe(GroupSize: 4));
            var again = new WorldClipTrainingData(tokenizer, config, 5, 12000, preprocessor, new WorldBatchRecipe(GroupSize: 4));
            int repeatedShapes = 0;
            for (int step = 0; step < 20; step++)
            {
                var items = data.BatchItems(step, 16);
                Assert.Equal(items, again.BatchItems(step, 16));
                var groups = items.Chunk(4).ToArray();
                foreach (var g in groups)
                {
                    Assert.Equal(4, g.Distinct().Count());
                    var f = g.Select(i => data.Pool[i].Factors).ToArray();
                    Assert.All(f, x => Assert.Equal((f[0].Colour, f[0].Background, f[0].Size, f[0].Position), (x.Colour, x.Background, x.Size, x.Position)));
                    repeatedShapes += 4 - f.Select(x => x.Shape).Distinct().Count();
                }
                // four groups of one batch come from four different buckets
                Assert.Equal(4, groups.Select(g => data.Pool[g[0]].Factors with { Shape = default, Word = null, Variation = 0 }).Distinct().Count());
            }
            Assert.True(repeatedShapes <= 4, $"{repeatedShapes} repeated shapes in 80 groups of 4");
            Assert.NotEqual(data.BatchItems(0, 16), data.BatchItems(1, 16));

            // half grouped: two groups of four first, then plain shuffled scenes (the epoch permutation's slots)
            var half = new WorldClipTrainingData(tokenizer, config, 5, 12000, preprocessor, new WorldBatchRecipe(GroupSize: 4, GroupedShare: 0.5));
            var plain = new WorldClipTrainingData(tokenizer, config, 5, 12000, preprocessor);
            var mixed = half.BatchItems(3, 16);
            Assert.Equal(Enumerable.Range(8, 8).Select(b => plain.ItemAt(3, 16, b)), mixed[8..]);
            foreach (var g in mixed[..8].Chunk(4))
                Assert.Single(g.Select(i => half.Pool[i].Factors with { Shape = default, Word = null, Variation = 0 }).Distinct());
        });
    }

    [Fact]
    public void PartialCaptionsReplaceTheirShareOfCaptionsReproduciblyAndNameTheShapeInsideGroups()
    {
        InTempDirectory("world-partial-", dir =>
        {
            var (tokenizer, config, preprocessor) = SmallWorld(dir, context: 32);
            WorldClipTrainingData Data(double partial) =>
                new(tokenizer, config, 5, 12000, preprocessor, new WorldBatchRecipe(GroupSize: 4, GroupedShare: 0.5, PartialShare: partial));
            var none = Data(0); var half = Data(0.5); var again = Data(0.5); var all = Data(1);

            int replaced = 0, total = 0;
            for (int step = 0; step < 30; step++)
            {
                var items = half.BatchItems(step, 16);
                for (int b = 0; b < 16; b++)
                {
                    var scene = half.Pool[items[b]];
                    Assert.Equal(scene.Caption, none.CaptionAt(step, 16, b, items[b]));
                    string caption = half.CaptionAt(step, 16, b, items[b]);
                    Assert.Equal(caption, again.CaptionAt(step, 16, b, items[b]));
                    if (caption != scene.Caption) replaced++;
                    total++;
                    string forced = all.CaptionAt(step, 16, b, items[b]);
                    string described = forced.Contains("the word ") ? forced[..forced.IndexOf("the word ")] : forced;
                    if (b < 8) Assert.Contains(Actors.World.WorldNames.Name(scene.Factors.Shape), described);
                }
            }
            Assert.InRange(replaced / (double)total, 0.35, 0.6);

            // the token rows of a batch are the tokenizer's encoding of those captions
            int n = 16, per = 3 * config.ImageSize * config.ImageSize;
            var ids = new int[n * config.ContextLength]; var eot = new int[n];
            half.FillBatch(2, n, new float[n * per], ids, eot);
            var batchItems = half.BatchItems(2, n);
            var expected = tokenizer.EncodeBatch(Enumerable.Range(0, n).Select(b => half.CaptionAt(2, n, b, batchItems[b])).ToArray(),
                config.ContextLength, truncate: true, padWithEndOfText: true);
            Assert.Equal(expected.Ids, ids);
            Assert.Equal(expected.EotIndex, eot);
            Assert.Throws<ArgumentOutOfRangeException>(() => Data(1.5));
        });
    }

    [Fact]
    public void TranscribedCaptionsReplaceTheirShareOfWordedScenesCaptionsWithTheWordAloneAndNoOtherCaption()
    {
        InTempDirectory("world-transcribed-", dir =>
        {
            var (tokenizer, config, preprocessor) = SmallWorld(dir, context: 32);
            WorldClipTrainingData Data(double share) => new(tokenizer, config, 5, 12000, preprocessor,
                new WorldBatchRecipe(GroupSize: 4, GroupedShare: 0.5, PartialShare: 0.5, TranscribedShare: share));
            var none = Data(0); var half = Data(0.5); var again = Data(0.5);
            string[] Transcriptions(string word) => [word, $"a {word}", $"a photo of a {word}", $"a picture of a {word}"];
            int worded = 0, transcribed = 0;
            for (int step = 0; step < 40; step++)
            {
                var items = half.BatchItems(step, 16);
                for (int b = 0; b < 16; b++)
                {
                    var scene = half.Pool[items[b]];
                    string caption = half.CaptionAt(step, 16, b, items[b]);
                    Assert.Equal(caption, again.CaptionAt(step, 16, b, items[b]));
                    if (scene.Factors.Word is not { } word) { Assert.Equal(none.CaptionAt(step, 16, b, items[b]), caption); continue; }
                    worded++;
                    if (Transcriptions(word).Contains(caption)) transcribed++;
                    else Assert.Equal(none.CaptionAt(step, 16, b, items[b]), caption);   // otherwise the caption it had without the option
                }
            }
            Assert.True(worded >= 60, $"only {worded} worded scenes drawn");
            Assert.InRange(transcribed / (double)worded, 0.35, 0.65);
            Assert.Throws<ArgumentOutOfRangeException>(() => Data(-0.1));
        });
    }

    [Fact]
    public void SpuriousScenesJoinHardNegativeGroupsOnlyWhenAllowed()
    {
        InTempDirectory("world-spurious-groups-", dir =>
        {
            var (tokenizer, config, preprocessor) = SmallWorld(dir, context: 16);
            int Spurious(bool allowed)
            {
                var data = new WorldClipTrainingData(tokenizer, config, 5, 12000, preprocessor, new WorldBatchRecipe(GroupSize: 4, SpuriousInGroups: allowed));
                return Enumerable.Range(0, 40).SelectMany(step => data.BatchItems(step, 16)).Count(i => data.Pool[i].Group is not null);
            }
            Assert.True(Spurious(allowed: true) > 0, "water/land buckets hold spurious scenes");
            Assert.Equal(0, Spurious(allowed: false));
        });
    }

    [Fact]
    public void WithPairTogetherEveryGroupWhoseBucketHoldsADuckAndABirdTakesOneOfEach()
    {
        InTempDirectory("world-pair-", dir =>
        {
            var (tokenizer, config, preprocessor) = SmallWorld(dir, context: 16);
            WorldClipTrainingData Data(bool pair) => new(tokenizer, config, 5, 12000, preprocessor,
                new WorldBatchRecipe(GroupSize: 4, GroupedShare: 0.5, SpuriousInGroups: false, SpuriousClassesElsewhere: true, PairTogether: pair));
            var drawn = Data(pair: false); var paired = Data(pair: true);
            static SceneFactors Key(SceneFactors f) => f with { Shape = default, Word = null, Variation = 0 };
            // which (colour, background, size, position) buckets hold a groupable duck and a groupable bird
            var holdsBoth = paired.Pool.Where(i => i.Group is null).GroupBy(i => Key(i.Factors))
                .Where(g => g.Any(i => i.Factors.Shape == WorldSplits.WaterClass) && g.Any(i => i.Factors.Shape == WorldSplits.LandClass))
                .Select(g => g.Key).ToHashSet();
            int eligible = 0, bothWhenDrawn = 0;
            for (int step = 0; step < 80; step++)
            {
                var plainItems = drawn.BatchItems(step, 16); var pairedItems = paired.BatchItems(step, 16);
                Assert.Equal(plainItems[8..], pairedItems[8..]);   // the plain half of a batch is untouched
                foreach (var (g, h) in pairedItems[..8].Chunk(4).Zip(plainItems[..8].Chunk(4)))
                {
                    var f = g.Select(i => paired.Pool[i].Factors).ToArray();
                    Assert.Single(f.Select(Key).Distinct());
                    Assert.Equal(4, g.Distinct().Count());
                    static bool Both(IEnumerable<SceneFactors> s) =>
                        s.Any(x => x.Shape == WorldSplits.WaterClass) && s.Any(x => x.Shape == WorldSplits.LandClass);
                    if (!holdsBoth.Contains(Key(f[0]))) continue;
                    eligible++;
                    Assert.True(Both(f), $"step {step}: a group from a bucket with a duck and a bird holds {string.Join(", ", f.Select(x => x.Shape))}");
                    if (holdsBoth.Contains(Key(drawn.Pool[h[0]].Factors)) && Both(h.Select(i => drawn.Pool[i].Factors))) bothWhenDrawn++;
                }
            }
            Assert.True(eligible >= 10, $"only {eligible} groups came from buckets holding both birds");
            Assert.True(bothWhenDrawn < eligible, "without the option the pair meets only when drawn");
        });
    }

    [Fact]
    public void DucksAndBirdsJoinThePlainPoolOnlyOffWaterAndLandWhenAsked()
    {
        InTempDirectory("world-elsewhere-", dir =>
        {
            var (tokenizer, config, preprocessor) = SmallWorld(dir, context: 16);
            WorldItem[] Plain(bool elsewhere) => new WorldClipTrainingData(tokenizer, config, 5, 12000, preprocessor, new WorldBatchRecipe(SpuriousClassesElsewhere: elsewhere))
                .Pool.Where(i => i.Group is null).ToArray();
            static bool SpuriousClass(WorldItem i) => i.Factors.Shape is WorldSplits.WaterClass or WorldSplits.LandClass;
            Assert.DoesNotContain(Plain(elsewhere: false), SpuriousClass);
            var with = Plain(elsewhere: true);
            var ducksAndBirds = with.Where(SpuriousClass).ToArray();
            // every shape is 1/12 of train scenes, and 4 of the 6 backgrounds are neither water nor land
            Assert.InRange(ducksAndBirds.Length, 0.5 * with.Length * 2 / 12 * 4 / 6, 1.5 * with.Length * 2 / 12 * 4 / 6);
            Assert.DoesNotContain(ducksAndBirds, i => i.Factors.Background is Background.Water or Background.Land);
            Assert.Equal(4, ducksAndBirds.Select(i => i.Factors.Background).Distinct().Count());
            Assert.Contains(with, i => i.Factors.Shape == Shape.Tree && i.Factors.Background is Background.Water or Background.Land);
            Assert.Equal(2400, 12000 - with.Length); // the spurious split's share is unchanged
        });
    }
}
