using Actors.Api.Pages;
using Actors.Grains.Evaluations;
using Actors.Grains.Latents;
using Actors.Grains.Sketches;

namespace Actors.Api.Tests.Pages;

public sealed class LatentAnalysesHtmlTests
{
    static LatentView View(LatentFailureMode[]? modes) => LatentView.From("sae", 7, new LatentState(), new IngestTotals()) with { FailureModes = modes };

    [Fact]
    public void AFlaggedLatentsPageListsEachClassItWasFlaggedForWithItsJobAndExamplesEncoded()
    {
        var html = LatentAnalysesHtml.Render(View([new LatentFailureMode("duck", "spurious", "failure-detection-1a", 14, 4.25, ["img<1>.png", "img2.png"])]));
        Assert.Contains("Failure modes", html);
        Assert.Contains("<th scope=\"row\">duck</th>", html);
        Assert.Contains("<td>14</td>", html);
        Assert.Contains("href=\"/jobs/failure-detection-1a\"", html);
        Assert.Contains("img&lt;1&gt;.png", html);
        Assert.DoesNotContain("img<1>", html);
    }

    [Fact]
    public void ALatentNoRunFlaggedShowsNoFailureModeSection()
    {
        Assert.DoesNotContain("Failure modes", LatentAnalysesHtml.Render(View(null)));
        Assert.DoesNotContain("Failure modes", LatentAnalysesHtml.Render(View([])));
    }
}
