using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Actors.Benchmarks;

/// <summary>
/// What this machine charges for memory a process touches for the first time: microseconds per 4 KiB page of fresh
/// anonymous memory (one page fault each, the kernel zeroing the page). On bare metal it is a fraction of a
/// microsecond; on a paravirtualized guest every fault goes through the hypervisor and costs tens of times more, and then
/// a run whose heap grows (a server's first corpus activating its latent grains, the GC taking new regions) pays for
/// it in CPU. Printed beside ingestion figures so runs on different machines can be read.
/// </summary>
public static unsafe class FirstTouch
{
    const int Page = 4096;

    /// <summary>Median over <paramref name="rounds"/> of the µs per page to touch <paramref name="mebibytes"/> MiB of new memory.</summary>
    public static double MicrosecondsPerPage(int mebibytes = 64, int rounds = 3)
    {
        nuint bytes = (nuint)mebibytes << 20;
        var perPage = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            // An allocation this large is its own mapping (glibc serves it with mmap), so its pages are new to the process.
            byte* memory = (byte*)NativeMemory.Alloc(bytes);
            try
            {
                long start = Stopwatch.GetTimestamp();
                for (nuint at = 0; at < bytes; at += Page) memory[at] = 1;
                perPage[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / (double)(bytes / Page);
            }
            finally { NativeMemory.Free(memory); }
        }
        Array.Sort(perPage);
        return perPage[rounds / 2];
    }
}
