using Actors.Tensors;

namespace Actors.World;

/// <summary>The named splits of the world.</summary>
public enum WorldSplit { Train, Test, SpuriousTrain, SpuriousTest, Typographic }

/// <summary>One generated scene with its label and split-specific annotations.</summary>
/// <param name="Label">The class to predict: the shape (train, test, typographic) or duck/bird (spurious splits).</param>
/// <param name="Group">Spurious splits only: "class/background", e.g. "duck/land" (a minority group).</param>
/// <param name="WrittenClass">Typographic split only: the other class whose name is written on the image.</param>
public sealed record WorldItem(int Index, SceneFactors Factors, string Label, string Caption, string? Group, string? WrittenClass);

/// <summary>
/// Generates the world's splits, deterministically from a seed:
/// <list type="bullet">
/// <item>train / test: every factor uniform and independent; a word (a shape or colour name) on 30% of scenes.
/// The two use different derived seeds, so they are disjoint draws.</item>
/// <item>spurious-train / spurious-test: the Waterbirds setting (Sagawa et al. 2020; seed 001 Sec. 7.1): the class
/// (duck or bird) appears on its correlated background (duck→water, bird→land) in exactly 95% of each class's
/// training scenes (rounded), and in exactly balanced groups (class × background) in test. No words. The two
/// classes differ in details of one silhouette (beak and legs), as Waterbirds' bird species do; in world version 1
/// the pair was duck and tree, whose silhouettes any shape-reading model tells apart on either background.</item>
/// <item>typographic: seed 001 Sec. 7.2 / Goh et al. 2021: a shape with ANOTHER shape's name written on it.</item>
/// </list>
/// Each scene's factors come from its own generator derived from (seed, split, index), so the first N scenes of a
/// split do not depend on how many are generated — except in spurious-train, whose exact 95% assignment is
/// shuffled over the whole count.
/// </summary>
public static class WorldSplits
{
    public const double SpuriousCorrelation = 0.95;
    public const double WordProbability = 0.3;
    public const Shape WaterClass = Shape.Duck, LandClass = Shape.Bird;

    /// <summary>Words that may be written on train/test scenes: every shape and colour name.</summary>
    public static readonly IReadOnlyList<string> WordVocabulary =
        Enum.GetValues<Shape>().Select(WorldNames.Name).Concat(Enum.GetValues<ObjectColour>().Select(WorldNames.Name)).ToArray();

    public static string Name(WorldSplit split) => split switch
    {
        WorldSplit.Train => "train", WorldSplit.Test => "test", WorldSplit.SpuriousTrain => "spurious-train",
        WorldSplit.SpuriousTest => "spurious-test", WorldSplit.Typographic => "typographic",
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    public static WorldSplit Parse(string name) =>
        Enum.GetValues<WorldSplit>().FirstOrDefault(s => Name(s) == name, (WorldSplit)(-1)) is var s && Enum.IsDefined(s)
            ? s
            : throw new FormatException($"Unknown split '{name}'; known: {string.Join(", ", Enum.GetValues<WorldSplit>().Select(Name))}.");

    /// <summary>The correlated ("majority") background of a spurious-split class.</summary>
    public static Background CorrelatedBackground(Shape cls) => cls switch
    {
        WaterClass => Background.Water,
        LandClass => Background.Land,
        _ => throw new ArgumentException($"'{WorldNames.Name(cls)}' is not a class of the spurious split."),
    };

    /// <summary>The other ("minority") background of a spurious-split class.</summary>
    public static Background MinorityBackground(Shape cls) =>
        CorrelatedBackground(cls) == Background.Water ? Background.Land : Background.Water;

    public static string GroupName(Shape cls, Background background) => $"{WorldNames.Name(cls)}/{WorldNames.Name(background)}";

    public static IReadOnlyList<WorldItem> Generate(WorldSplit split, int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var spurious = split == WorldSplit.SpuriousTrain ? SpuriousTrainAssignments(count, seed) : null;
        var items = new WorldItem[count];
        for (int i = 0; i < count; i++)
        {
            var rng = new SplitMix64(SplitMix64.Derive(seed, (ulong)split + 1, (ulong)i));
            items[i] = split switch
            {
                WorldSplit.Train or WorldSplit.Test => Plain(i, rng),
                WorldSplit.SpuriousTrain => Spurious(i, rng, spurious![i].Class, spurious[i].Background),
                WorldSplit.SpuriousTest => Spurious(i, rng, i % 2 == 0 ? WaterClass : LandClass,
                    (i / 2) % 2 == 0 ? Background.Water : Background.Land),
                WorldSplit.Typographic => Typographic(i, rng),
                _ => throw new ArgumentOutOfRangeException(nameof(split)),
            };
        }
        return items;
    }

    private static SceneFactors RandomFactors(SplitMix64 rng, Shape? shape = null, Background? background = null) => new(
        shape ?? rng.Pick(Enum.GetValues<Shape>()),
        rng.Pick(Enum.GetValues<ObjectColour>()),
        rng.Pick(Enum.GetValues<ObjectSize>()),
        rng.Pick(Enum.GetValues<Position>()),
        background ?? rng.Pick(Enum.GetValues<Background>()),
        null,
        rng.NextUInt64());

    private static WorldItem Plain(int index, SplitMix64 rng)
    {
        var f = RandomFactors(rng);
        if (rng.NextDouble() < WordProbability) f = f with { Word = rng.Pick(WordVocabulary) };
        return new WorldItem(index, f, WorldNames.Name(f.Shape), CaptionWriter.Write(f, rng), null, null);
    }

    private static WorldItem Spurious(int index, SplitMix64 rng, Shape cls, Background background)
    {
        var f = RandomFactors(rng, cls, background);
        return new WorldItem(index, f, WorldNames.Name(cls), CaptionWriter.Write(f, rng), GroupName(cls, background), null);
    }

    private static WorldItem Typographic(int index, SplitMix64 rng)
    {
        var f = RandomFactors(rng);
        var others = Enum.GetValues<Shape>().Where(s => s != f.Shape).ToArray();
        var written = rng.Pick(others);
        f = f with { Word = WorldNames.Name(written) };
        return new WorldItem(index, f, WorldNames.Name(f.Shape), CaptionWriter.Write(f, rng), null, WorldNames.Name(written));
    }

    /// <summary>Exactly round(5%) of each class off its correlated background, in a seeded random order.</summary>
    private static (Shape Class, Background Background)[] SpuriousTrainAssignments(int count, ulong seed)
    {
        var list = new List<(Shape, Background)>(count);
        foreach (var (cls, n) in new[] { (WaterClass, (count + 1) / 2), (LandClass, count / 2) })
        {
            int minority = (int)Math.Round(n * (1 - SpuriousCorrelation), MidpointRounding.AwayFromZero);
            var home = CorrelatedBackground(cls);
            var away = MinorityBackground(cls);
            for (int k = 0; k < n; k++) list.Add((cls, k < minority ? away : home));
        }
        new SplitMix64(SplitMix64.Derive(seed, 0x5BB)).Shuffle(list);
        return list.ToArray();
    }
}
