using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Actors.Api.Tests.Browser;

/// <summary>What a user does in the browser tests: sign in through the form, and keep screenshots of pages.</summary>
public static class DashboardSession
{
    /// <summary>Signs in with <paramref name="apiKey"/> on /sign-in and lands on the overview.</summary>
    public static async Task SignInAsync(IPage page, string apiKey)
    {
        await page.GotoAsync("/sign-in");
        await page.GetByLabel("API key").FillAsync(apiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ArrivedAtAsync(page, new Regex("/$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>
    /// Waits until the page shows a URL matching <paramref name="url"/> and that document has loaded (its deferred
    /// script runs before, so the forms are wired). Both are polled: Playwright's WaitForURL also waits for the load
    /// event, and once missed one that had already fired, timing out with the page idle.
    /// </summary>
    public static async Task ArrivedAtAsync(IPage page, Regex url)
    {
        await Expect(page).ToHaveURLAsync(url);
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
    }

    /// <summary>A full-page screenshot in <see cref="SystemChromium.ScreenshotFolder"/>; returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        string path = Path.Combine(SystemChromium.ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Console.WriteLine($"screenshot: {path}");
        return path;
    }
}
