using Actors.Vision.Clip;
using Actors.Vision.Tests.Checkpoints;
using Actors.Vision.Tokenization;

namespace Actors.Vision.Tests.Tokenization;

/// <summary>A model folder's tokenizer cleans text as the reference tokenizer of the folder's layout does.</summary>
public class TextNormalizationChoiceTests
{
    [Fact]
    public void AHuggingFaceFolderNormalisesAsTheFastTokenizerAndAnOpenClipFolderAsOpenClip()
    {
        using var hf = new TempDir();
        RandomClipModel.Write(hf.Path, RandomClipModel.Preset("tiny"), seed: 3);
        Assert.Equal(ClipTextNormalization.HuggingFaceFast, ClipTokenizer.FromDirectory(hf.Path).Normalization);

        using var oc = new TempDir();
        RandomClipModel.WriteOpenClip(oc.Path, RandomClipModel.Generate(RandomClipModel.Preset("tiny"), 4));
        Assert.Equal(ClipTextNormalization.OpenAi, ClipTokenizer.FromDirectory(oc.Path).Normalization);

        File.WriteAllText(hf.File(OpenClipModelConfig.FileName), """{"model_cfg": {"vision_cfg": {}, "text_cfg": {}}}""");
        Assert.Equal(ClipTextNormalization.OpenAi, ClipTokenizer.FromDirectory(hf.Path).Normalization);
    }

    [Fact]
    public void OpenAisGzipVocabularyAloneMeansOpenAisCleaningAndTheCallerCanOverride()
    {
        using var dir = new TempDir();
        File.Copy(RepoPaths.Fixture("tokenizer", "bpe_simple_vocab_16e6.txt.gz"), dir.File("bpe_simple_vocab_16e6.txt.gz"));
        var tok = ClipTokenizer.FromDirectory(dir.Path);
        Assert.Equal(ClipTextNormalization.OpenAi, tok.Normalization);
        Assert.Equal(tok.Encode("fish & chips"), tok.Encode("fish &amp; chips"));

        var stated = ClipTokenizer.FromDirectory(dir.Path, ClipTextNormalization.HuggingFaceFast);
        Assert.Equal(ClipTextNormalization.HuggingFaceFast, stated.Normalization);
        Assert.NotEqual(stated.Encode("fish & chips"), stated.Encode("fish &amp; chips"));
    }
}
