using Actors.Vision.Imaging;

namespace Actors.Api.Tests.Fixtures;

/// <summary>One image of the test world's corpus as ingestion sees it: id, class (its sub-folder) and preprocessed pixels.</summary>
public sealed record CorpusImage(string Id, string Label, float[] Pixels);

/// <summary>
/// The corpus folder's images that decode, in the corpus's (ordinal) order, preprocessed as the model's
/// preprocessor_config.json says — what an independent computation of ingestion's numbers starts from.
/// </summary>
public static class CorpusImages
{
    public static List<CorpusImage> Read(TestWorld world)
    {
        var preprocessor = ClipPreprocessor.FromPreprocessorConfig(Path.Combine(world.ModelFolder, "preprocessor_config.json"));
        var images = new List<CorpusImage>();
        foreach (var id in world.GoodImages)
        {
            var pixels = new float[preprocessor.FloatsPerImage];
            preprocessor.Preprocess(ImageCodec.Decode(File.ReadAllBytes(Path.Combine(world.CorpusFolder, id)), id), pixels);
            images.Add(new CorpusImage(id, id[..id.IndexOf('/')], pixels));
        }
        return images;
    }
}
