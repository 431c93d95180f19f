namespace Actors.Benchmarks;

/// <summary>
/// Share of CPU time stolen by the hypervisor (the "steal" column of /proc/stat's cpu line), for reading a
/// latency benchmark run on a shared virtual machine. Null where /proc/stat is not available.
/// </summary>
public static class CpuSteal
{
    public static long[]? Read()
    {
        try
        {
            string? line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu "));
            return line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>Stolen share of all CPU time since <paramref name="before"/> (user, nice, system, idle, iowait, irq, softirq, steal).</summary>
    public static double? Since(long[]? before)
    {
        var after = Read();
        if (before is null || after is null || before.Length < 8 || after.Length < 8) return null;
        long total = 0;
        for (int i = 0; i < 8; i++) total += after[i] - before[i];
        return total > 0 ? (after[7] - before[7]) / (double)total : null;
    }
}
