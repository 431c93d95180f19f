using Microsoft.Playwright;

namespace Actors.Api.Tests.Browser;

/// <summary>
/// Headless Chromium for the browser tests: Debian's chromium package (/usr/bin/chromium, installed by deploy/setup.sh),
/// driven by Microsoft.Playwright's driver (node, shipped in the NuGet package's .playwright folder, copied to the test
/// output). Playwright's own browser download is never used. One browser per test class; each user gets a context
/// (cookie jar) of their own.
/// </summary>
public sealed class SystemChromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";
    static readonly string[] Flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    IPlaywright playwright = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots of the pages go: TestResults/screenshots in the test output folder.</summary>
    public static string ScreenshotFolder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium package (deploy/setup.sh does)");
        // Assertions poll the page until they hold; on a loaded CI machine 5 s (Playwright's default) is short.
        Assertions.SetDefaultExpectTimeout(30_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true, Args = Flags, Timeout = 60_000 });
    }

    /// <summary>A fresh user agent (its own cookies) on the API at <paramref name="baseAddress"/>, 1280 px wide.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = baseAddress.ToString().TrimEnd('/'), ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(60_000);   // a loaded CI machine; every wait ends as soon as its condition holds
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
    }
}
