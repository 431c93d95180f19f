using System.Globalization;
using Actors.Tensors.Memory;

namespace Actors.Tensors.Tests.Memory;

public sealed class HugePageBufferTests
{
    const long HugePage = 2 * 1024 * 1024;

    [Fact]
    public unsafe void HoldsWhatIsWrittenAndStartsOnAHugePageBoundary()
    {
        using var buffer = new HugePageBuffer(3_000_001);
        Assert.Equal(3_000_001, buffer.Length);
        var span = buffer.Span;
        for (int i = 0; i < span.Length; i += 4099) span[i] = i;
        span[^1] = -1;
        for (int i = 0; i < span.Length - 1; i += 4099) Assert.Equal(i, span[i]);
        Assert.Equal(-1, buffer.Slice(3_000_000, 1)[0]);
        fixed (float* p = span) Assert.Equal(0, (long)p % HugePage);
    }

    [Fact]
    public void RefusesLengthsASpanCannotHoldAndUseAfterDispose()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HugePageBuffer(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HugePageBuffer((long)int.MaxValue + 1));
        var buffer = new HugePageBuffer(10);
        buffer.Dispose();
        buffer.Dispose();   // a second dispose is harmless
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
    }

    /// <summary>Where the kernel offers transparent huge pages (mode "always" or "madvise"), the touched buffer is backed
    /// by them: /proc/self/smaps counts AnonHugePages in the mapping that holds it. With THP off, the buffer is ordinary pages.</summary>
    [Fact]
    public unsafe void IsBackedByTransparentHugePagesWhereTheKernelOffersThem()
    {
        const string mode = "/sys/kernel/mm/transparent_hugepage/enabled";
        if (!OperatingSystem.IsLinux() || !File.Exists(mode) || File.ReadAllText(mode).Contains("[never]")) return;
        using var buffer = new HugePageBuffer(16 * 1024 * 1024);   // 64 MiB
        buffer.Span.Fill(1f);
        long address;
        fixed (float* p = buffer.Span) address = (long)p;
        Assert.True(AnonHugePagesKb(address) >= 2048, $"no huge page backs the buffer at 0x{address:x} (THP mode: {File.ReadAllText(mode).Trim()})");
    }

    /// <summary>AnonHugePages (kB) of the /proc/self/smaps mapping that contains <paramref name="address"/>.</summary>
    static long AnonHugePagesKb(long address)
    {
        bool inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-');
            if (dash > 0 && line.IndexOf(' ') > dash && long.TryParse(line[..dash], NumberStyles.HexNumber, null, out long start)
                && long.TryParse(line[(dash + 1)..line.IndexOf(' ')], NumberStyles.HexNumber, null, out long end))
            {
                inside = start <= address && address < end;
                continue;
            }
            if (inside && line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"no mapping holds 0x{address:x}");
    }
}
