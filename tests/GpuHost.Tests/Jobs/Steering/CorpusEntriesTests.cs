using Actors.GpuHost.Jobs.Steering;
using Actors.Grains.Registry;
using Actors.World;

namespace Actors.GpuHost.Tests.Jobs.Steering;

/// <summary>How steering jobs read a corpus's fields: world manifests carry every factor, so label × background is the world's group.</summary>
public sealed class CorpusEntriesTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "corpus-entries-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public void LabelTimesBackgroundOfAWorldSpuriousSplitIsItsGroupField()
    {
        string manifest = WorldWriter.Write(folder, WorldSplit.SpuriousTest, 8, seed: 5, imageSize: 16);
        var entries = CorpusEntries.Read("spurious", new CorpusSource("manifest", manifest));
        Assert.Equal(8, entries.Items.Count);
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(entries.Fields[i]["group"], entries.GroupOf(i, ["label", "background"]));
            Assert.Equal(entries.Items[i].Label, entries.Fields[i]["label"]);
        }
        Assert.Equal(4, Enumerable.Range(0, 8).Select(i => entries.GroupOf(i, ["group"])).Distinct().Count());
        Assert.Throws<InvalidDataException>(() => entries.GroupOf(0, ["label", "written_class"]));
    }

    [Fact]
    public void AWorldTypographicSplitNamesTheWrittenClassAndAFolderCorpusOnlyItsLabel()
    {
        string manifest = WorldWriter.Write(folder, WorldSplit.Typographic, 4, seed: 5, imageSize: 64);
        var typographic = CorpusEntries.Read("typo", new CorpusSource("manifest", manifest));
        Assert.All(typographic.Fields, f => Assert.NotEqual(f["label"], f[TypographicDefenceHandler.WrittenClassField]));
        var byFolder = CorpusEntries.Read("folder", new CorpusSource("folder", Path.Combine(folder, "images")));
        Assert.Equal(4, byFolder.Items.Count);
        Assert.All(byFolder.Fields, f => Assert.Equal(["label"], f.Keys));
        Assert.Equal("typographic", byFolder.GroupOf(0, ["label"]));
        Assert.Equal(2, typographic.IndexOf(typographic.Items[2].ImageId));
        Assert.Equal(-1, typographic.IndexOf("no-such-image"));
    }

    [Fact]
    public void ACsvManifestsColumnsAreItsFields()
    {
        Directory.CreateDirectory(folder);
        string manifest = Path.Combine(folder, "m.csv");
        File.WriteAllLines(manifest, ["path,label,Blond", "a.png,male,yes", "", "b.png,female,no"]);
        var entries = CorpusEntries.Read("celeb", new CorpusSource("manifest", manifest));
        Assert.Equal(["male/yes", "female/no"], Enumerable.Range(0, 2).Select(i => entries.GroupOf(i, ["label", "blond"])));
    }

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}
