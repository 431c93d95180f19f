using Actors.GpuHost.Ingestion;
using Actors.GpuHost.Jobs.Evaluations;
using Actors.Tensors.Backends;
using Actors.Vision.Tokenization;

namespace Actors.GpuHost.Tests.Evaluations;

/// <summary>
/// Seed 000 App. D.2's prober (2) with the shipped world CLIP's text tower: the templated prompt is the renormalised
/// mean of the unit embeddings of "{c}", "an image of a {c}" and "a {c}", each embedded on its own here.
/// </summary>
public sealed class TemplatedPromptsTests
{
    static double[] Unit(IEnumerable<double> v)
    {
        var a = v.ToArray();
        double norm = Math.Sqrt(a.Sum(x => x * x));
        return [.. a.Select(x => x / norm)];
    }

    [Theory]
    [InlineData("duck")]
    [InlineData("red circle")]
    public void TheTemplatedPromptIsTheRenormalisedMeanOfTheThreeTemplatesUnitEmbeddings(string label)
    {
        var model = new ModelCatalog(new CpuBackend()).Load(WorldClaimsTests.ModelFolder());
        var tokenizer = ClipTokenizer.FromDirectory(WorldClaimsTests.ModelFolder());
        var prompts = new[] { label, $"an image of a {label}", $"a {label}" };
        var raw = prompts.Select(p =>
        {
            var (ids, _) = tokenizer.EncodeBatch([p], model.Model.Text.ContextLength);
            return model.Model.Text.Encode(ids, 1).Select(v => (double)v).ToArray();
        }).ToArray();
        int d = raw[0].Length;
        var expected = Unit(Enumerable.Range(0, d).Select(i => raw.Average(r => Unit(r)[i])));

        var actual = TemplatedPrompts.Embed(new ConceptEncoder(), model, label);
        double worst = Enumerable.Range(0, d).Max(i => Math.Abs(expected[i] - actual[i]));
        Assert.True(worst < 1e-5, $"templated prompt of '{label}': max |Δ| {worst:G3}");

        // Not the vocabulary's class prompt ("a photo of a {c}.") and not a single template.
        var classPrompt = new ConceptEncoder().Embed(model, [label])[0];
        Assert.True(Enumerable.Range(0, d).Max(i => Math.Abs(classPrompt[i] - actual[i])) > 1e-3);
        Assert.All(raw, r => Assert.True(Enumerable.Range(0, d).Max(i => Math.Abs(Unit(r)[i] - actual[i])) > 1e-3));
    }
}
