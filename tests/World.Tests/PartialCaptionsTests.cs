using Actors.Tensors;

namespace Actors.World.Tests;

public class PartialCaptionsTests
{
    static readonly IReadOnlyList<WorldItem> Scenes = WorldSplits.Generate(WorldSplit.Train, 300, 11);

    /// <summary>The caption without its written-word clause (a word may itself be a shape or colour name).</summary>
    static string Description(string caption) =>
        caption.Contains("the word ") ? caption[..caption.IndexOf("the word ", StringComparison.Ordinal)] : caption;

    static bool Names(string description, string name) => (" " + description + " ").Contains(" " + name + " ");

    [Fact]
    public void ACaptionNamesExactlyTheFactorsItWasAskedToMention()
    {
        var rng = new SplitMix64(3);
        foreach (var item in Scenes)
        {
            var f = item.Factors;
            for (int k = 0; k < 4; k++)
            {
                var m = PartialCaptions.Choose(f, rng);
                string caption = PartialCaptions.Write(f, m, rng);
                string d = Description(caption);
                Assert.True(m.Shape == Names(d, WorldNames.Name(f.Shape)), $"shape {m.Shape}: \"{caption}\"");
                Assert.True(m.Colour == Names(d, WorldNames.Name(f.Colour)), $"colour {m.Colour}: \"{caption}\"");
                Assert.True(m.Size == Names(d, WorldNames.Name(f.Size)), $"size {m.Size}: \"{caption}\"");
                Assert.True(m.Position == d.Contains($"in the {WorldNames.Name(f.Position)}"), $"position {m.Position}: \"{caption}\"");
                Assert.True(m.Background == d.Contains($"on {CaptionWriter.PlacePhrase(f.Background)}"), $"background {m.Background}: \"{caption}\"");
                Assert.True(m.Word == (caption + " ").Contains($"the word {f.Word} "), $"word {m.Word}: \"{caption}\"");
                // no other factor value leaks in
                foreach (var other in Enum.GetValues<Shape>().Where(s => s != f.Shape)) Assert.False(Names(d, WorldNames.Name(other)), caption);
                foreach (var other in Enum.GetValues<ObjectColour>().Where(c => c != f.Colour)) Assert.False(Names(d, WorldNames.Name(other)), caption);
            }
        }
    }

    [Fact]
    public void ChoiceIsNeverEmptyHonoursTheForcedShapeAndMentionsAWordOnlyWhenThereIsOne()
    {
        var rng = new SplitMix64(9);
        var counts = new int[6];
        foreach (var item in Scenes)
        for (int k = 0; k < 20; k++)
        {
            var m = PartialCaptions.Choose(item.Factors, rng);
            Assert.True(m.Any);
            if (item.Factors.Word is null) Assert.False(m.Word);
            Assert.True(PartialCaptions.Choose(item.Factors, rng, shape: true).Shape);
            bool[] flags = [m.Shape, m.Colour, m.Size, m.Position, m.Background, m.Word];
            for (int i = 0; i < 6; i++) if (flags[i]) counts[i]++;
        }
        Assert.All(counts, c => Assert.True(c > 0, "every factor is mentioned sometimes"));
        Assert.True(counts[0] > counts[2], "shape is mentioned more often than size");
    }

    [Fact]
    public void TheZeroShotPromptsArePhrasesOfTheGrammar()
    {
        var f = new SceneFactors(Shape.Star, ObjectColour.Red, ObjectSize.Small, Position.Center, Background.Water, "hexagon", 1);
        var seen = new HashSet<string>();
        var rng = new SplitMix64(1);
        Mentions[] single = [new(true, false, false, false, false, false), new(false, true, false, false, false, false),
                             new(false, false, false, false, true, false), new(false, false, false, false, false, true)];
        for (int k = 0; k < 60; k++) foreach (var m in single) seen.Add(PartialCaptions.Write(f, m, rng));
        Assert.Contains(CaptionWriter.ShapePrompt(Shape.Star), seen);
        Assert.Contains(CaptionWriter.ColourPrompt(ObjectColour.Red), seen);
        Assert.Contains(CaptionWriter.BackgroundPrompt(Background.Water), seen);
        Assert.Contains(CaptionWriter.WordPrompt("hexagon"), seen);
    }

    [Fact]
    public void AskingForNothingOrForAMissingWordIsRefused()
    {
        var f = Scenes.First(i => i.Factors.Word is null).Factors;
        Assert.Throws<ArgumentException>(() => PartialCaptions.Write(f, default, new SplitMix64(1)));
        Assert.Throws<ArgumentException>(() => PartialCaptions.Write(f, new Mentions(false, false, false, false, false, true), new SplitMix64(1)));
    }
}
