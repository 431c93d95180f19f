using Actors.Vision.Imaging;

namespace Actors.Vision.Tests.Imaging;

public sealed class VipsRuntimeTests
{
    /// <summary>The process runs the bundled libvips, not a system copy older than <see cref="VipsRuntime.OldestSupported"/>
    /// (the thread-exit race that corrupts the heap).</summary>
    [Fact]
    public void TheLibvipsLoadedIsNewEnoughToHaveTheThreadExitRaceFixed()
    {
        var version = VipsRuntime.LibraryVersion;
        Assert.True(version >= new Version(8, 15, 4), $"libvips {version} is loaded; 8.15.4 or newer is needed");
        Assert.Null(VipsRuntime.RefusalOf(version));
    }

    [Theory]
    [InlineData("8.14.1")]   // Debian 12's
    [InlineData("8.15.3")]
    public void AVersionWithoutTheFixIsRefusedWithAReasonThatNamesIt(string version)
    {
        var refusal = VipsRuntime.RefusalOf(Version.Parse(version));
        Assert.NotNull(refusal);
        Assert.Contains($"libvips {version} is loaded", refusal);
        Assert.Contains("8.15.4", refusal);
    }

    [Theory]
    [InlineData("8.15.4")]
    [InlineData("8.18.7")]
    public void AVersionWithTheFixIsRun(string version) => Assert.Null(VipsRuntime.RefusalOf(Version.Parse(version)));

    [Fact]
    public void LibvipsRunsOneWorkerPerOperationUnlessTheEnvironmentSaysOtherwise()
    {
        _ = VipsRuntime.LibraryVersion;   // starts libvips
        if (Environment.GetEnvironmentVariable("VIPS_CONCURRENCY") is { } set)
            Assert.Equal(int.Parse(set, System.Globalization.CultureInfo.InvariantCulture), NetVips.NetVips.Concurrency);
        else Assert.Equal(1, NetVips.NetVips.Concurrency);
    }
}
