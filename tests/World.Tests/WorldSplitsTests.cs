namespace Actors.World.Tests;

public sealed class WorldSplitsTests
{
    [Fact]
    public void TrainSplitCoversEveryFactorValueRoughlyEvenly()
    {
        var items = WorldSplits.Generate(WorldSplit.Train, 2200, seed: 3);
        void Balanced<T>(Func<SceneFactors, T> factor) where T : struct, Enum
        {
            var values = Enum.GetValues<T>();
            double expected = items.Count / (double)values.Length;
            foreach (var v in values)
            {
                int n = items.Count(i => factor(i.Factors).Equals(v));
                Assert.True(Math.Abs(n - expected) < 0.25 * expected, $"{typeof(T).Name} {v}: {n} vs ≈{expected:F0}");
            }
        }
        Balanced(f => f.Shape);
        Balanced(f => f.Colour);
        Balanced(f => f.Size);
        Balanced(f => f.Position);
        Balanced(f => f.Background);
        double withWord = items.Count(i => i.Factors.Word is not null) / (double)items.Count;
        Assert.InRange(withWord, 0.26, 0.34);
        Assert.All(items, i => Assert.Equal(WorldNames.Name(i.Factors.Shape), i.Label));
    }

    [Fact]
    public void SameSeedGivesTheSameScenesAndAnotherSeedDoesNot()
    {
        var a = WorldSplits.Generate(WorldSplit.Train, 50, 11);
        var b = WorldSplits.Generate(WorldSplit.Train, 50, 11);
        var c = WorldSplits.Generate(WorldSplit.Train, 50, 12);
        Assert.Equal(a, b);
        Assert.NotEqual(a.Select(i => i.Factors), c.Select(i => i.Factors));
        // Train and test are different draws from the same seed.
        var t = WorldSplits.Generate(WorldSplit.Test, 50, 11);
        Assert.NotEqual(a.Select(i => i.Factors), t.Select(i => i.Factors));
        // A prefix does not depend on the count.
        Assert.Equal(a.Take(20), WorldSplits.Generate(WorldSplit.Train, 20, 11));
    }

    [Fact]
    public void SpuriousTrainShowsEachClassOnItsBackground95PercentOfTheTime()
    {
        var items = WorldSplits.Generate(WorldSplit.SpuriousTrain, 1000, seed: 5);
        foreach (var cls in new[] { WorldSplits.WaterClass, WorldSplits.LandClass })
        {
            var ofClass = items.Where(i => i.Factors.Shape == cls).ToList();
            Assert.Equal(500, ofClass.Count);
            double correlated = ofClass.Count(i => i.Factors.Background == WorldSplits.CorrelatedBackground(cls)) / (double)ofClass.Count;
            Assert.Equal(0.95, correlated, 6);
        }
        Assert.All(items, i => Assert.Equal(WorldSplits.GroupName(i.Factors.Shape, i.Factors.Background), i.Group));
        Assert.All(items, i => Assert.Null(i.Factors.Word));
        // Minority scenes are spread through the split, not bunched at one end.
        var firstHalfMinority = items.Take(500).Count(i => i.Factors.Background != WorldSplits.CorrelatedBackground(i.Factors.Shape));
        Assert.InRange(firstHalfMinority, 10, 40);
    }

    [Fact]
    public void SpuriousTestIsBalancedOverTheFourGroups()
    {
        var items = WorldSplits.Generate(WorldSplit.SpuriousTest, 400, seed: 5);
        var groups = items.GroupBy(i => i.Group!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(4, groups.Count);
        Assert.All(groups.Values, n => Assert.Equal(100, n));
        double correlated = items.Count(i => i.Factors.Background == WorldSplits.CorrelatedBackground(i.Factors.Shape)) / 400.0;
        Assert.Equal(0.5, correlated, 6);
    }

    [Fact]
    public void TypographicScenesCarryAnotherClassesName()
    {
        var items = WorldSplits.Generate(WorldSplit.Typographic, 300, seed: 9);
        Assert.All(items, i =>
        {
            Assert.NotNull(i.WrittenClass);
            Assert.Equal(i.WrittenClass, i.Factors.Word);
            Assert.NotEqual(i.Label, i.WrittenClass);
            Assert.Equal(WorldNames.Name(i.Factors.Shape), i.Label);
            WorldNames.Parse<Shape>(i.WrittenClass!); // the written word is a class name
        });
        Assert.True(items.Select(i => i.WrittenClass).Distinct().Count() >= 8);
    }

    [Fact]
    public void CaptionsNameTheFactors()
    {
        var f = new SceneFactors(Shape.Star, ObjectColour.Red, ObjectSize.Small, Position.Center, Background.Water, null, 1);
        Assert.Equal("a photo of a small red star on water", CaptionWriter.Write(f, 0));
        Assert.Equal("a red star", CaptionWriter.Write(f, 1));
        Assert.Equal("a red star with the word duck written on it", CaptionWriter.Write(f with { Word = "duck" }, 1));
        for (int t = 0; t < CaptionWriter.TemplateCount; t++)
        {
            Assert.Contains("star", CaptionWriter.Write(f, t));
            Assert.Contains("red", CaptionWriter.Write(f, t));
        }
    }

    [Fact]
    public void SplitNamesRoundTrip()
    {
        foreach (var s in Enum.GetValues<WorldSplit>()) Assert.Equal(s, WorldSplits.Parse(WorldSplits.Name(s)));
        Assert.Contains("spurious-train", Assert.Throws<FormatException>(() => WorldSplits.Parse("nope")).Message);
    }
}
