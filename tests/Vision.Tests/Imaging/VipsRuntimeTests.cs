using Actors.Vision.Imaging;

namespace Actors.Vision.Tests.Imaging;

public sealed class VipsRuntimeTests
{
    /// <summary>
    /// libvips before 8.15.4 (Debian 12 ships 8.14.1) lets a worker thread that has idled 15 s free itself while a
    /// starting pipeline still hands it work, corrupting the heap (libvips's ChangeLog for 8.15.4: "threadset: fix a race
    /// condition during thread exit"). The process must run the bundled libvips, not a system copy that old.
    /// </summary>
    [Fact]
    public void TheLibvipsLoadedIsNewEnoughToHaveTheThreadExitRaceFixed()
    {
        var version = VipsRuntime.LibraryVersion;
        Assert.True(version >= new Version(8, 15, 4), $"libvips {version} is loaded; 8.15.4 or newer is needed");
    }
}
