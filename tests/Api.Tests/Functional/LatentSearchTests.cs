using System.Net;
using Actors.Api.Tests.Fixtures;
using Actors.Grains.Hosts;
using Actors.Grains.Sketches;
using Xunit.Abstractions;

namespace Actors.Api.Tests.Functional;

/// <summary>
/// GET /api/saes/{saeId}/search on the embedded default's world: the shipped world CLIP's text tower embeds the query and
/// latents are ranked by seed 000 Eq. 2 against their mean reference-image embedding. The world plants its factors
/// (backgrounds, colours, shapes) in every scene and its manifest names them, so what the top latents' reference images
/// show can be checked: a sixth of the scenes are on water, so a ranking blind to the text would give about 17 %.
/// </summary>
[Collection(WorldApiCollection.Name)]
public sealed class LatentSearchTests(WorldApiFixture world, ITestOutputHelper output)
{
    [Theory]
    [InlineData("water")]
    [InlineData("stripes")]
    public async Task SearchingABackgroundsNameRanksFirstLatentsWhoseReferenceImagesMostlyShowThatBackground(string background)
    {
        var result = await world.Client.GetAsync<LatentSearchResult>($"/api/saes/{WorldApiFixture.SaeId}/search?q={background}&top=5");
        Assert.Equal(5, result.Hits.Length);
        Assert.True(result.LatentsSearched > 100, $"only {result.LatentsSearched} latents had reference images");
        Assert.Equal(0, result.ImagesUnreadable);
        Assert.True(result.Hits.Zip(result.Hits.Skip(1)).All(p => p.First.Alignment >= p.Second.Alignment), "hits are not best first");

        var top = await ReferencesAsync(result.Hits[0].Latent);
        double topShare = top.Count(r => Background(r) == background) / (double)top.Length;
        var pooled = (await Task.WhenAll(result.Hits.Select(h => ReferencesAsync(h.Latent)))).SelectMany(r => r).ToArray();
        double pooledShare = pooled.Count(r => Background(r) == background) / (double)pooled.Length;
        output.WriteLine($"'{background}': top latent {result.Hits[0].Latent} (s = {result.Hits[0].Alignment:F3}, {top.Length} references) " +
                         $"{topShare:P0} {background}; top 5 latents' {pooled.Length} references {pooledShare:P0} {background}");
        Assert.True(topShare > 0.5, $"the top latent's references are {topShare:P0} {background}");
        Assert.True(pooledShare >= 0.75, $"the top 5 latents' references are {pooledShare:P0} {background}");
    }

    [Fact]
    public async Task ASearchWithoutTextOrWithTooManyResultsIsA400AndAnUnknownSaeA404()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await world.Client.GetAsync($"/api/saes/{WorldApiFixture.SaeId}/search")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await world.Client.GetAsync($"/api/saes/{WorldApiFixture.SaeId}/search?q=%20")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await world.Client.GetAsync($"/api/saes/{WorldApiFixture.SaeId}/search?q=water&top=101")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Client.GetAsync("/api/saes/no-such-sae/search?q=water")).StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheSearchRouteAndLeavesTheDashboardPagesOut()
    {
        var document = System.Text.Json.JsonDocument.Parse(await world.Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/api/saes/{saeId}/search", paths);
        Assert.DoesNotContain(paths, p => p == "/" || p.StartsWith("/saes/") || p.StartsWith("/corpora/") || p.StartsWith("/jobs")
                                          || p.StartsWith("/investigations") || p.StartsWith("/assets/"));
    }

    Task<ReferenceImage[]> ReferencesAsync(int latent) =>
        world.Client.GetAsync<ReferenceImage[]>($"/api/saes/{WorldApiFixture.SaeId}/latents/{latent}/references");

    string Background(ReferenceImage reference) => world.Scene(reference.Image.CorpusId, reference.Image.ImageId).Background;
}
