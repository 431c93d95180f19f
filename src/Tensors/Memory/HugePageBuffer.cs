using System.Runtime.InteropServices;

namespace Actors.Tensors.Memory;

/// <summary>
/// A large float buffer outside the managed heap, aligned to 2 MiB and offered to the kernel for transparent huge
/// pages (madvise MADV_HUGEPAGE, which Debian's and Ubuntu's default THP mode "madvise" honours). A buffer of hundreds
/// of MiB that is rewritten on every call — the SAE encoder's dense pre-activations — otherwise costs one page fault
/// per 4 KiB at first touch and a TLB entry per 4 KiB on every pass. Where huge pages are unavailable the memory is
/// ordinary pages. Freed by <see cref="Dispose"/> or, failing that, by the finalizer.
/// </summary>
public sealed unsafe class HugePageBuffer : IDisposable
{
    const nuint HugePage = 2 * 1024 * 1024;
    const int MadvHugePage = 14;   // MADV_HUGEPAGE, <sys/mman.h>
    float* data;
    readonly long bytes;

    public HugePageBuffer(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(length), length, "a buffer holds at most int.MaxValue floats (one span)");
        Length = (int)length;
        nuint size = Math.Max(((nuint)length * sizeof(float) + HugePage - 1) / HugePage * HugePage, HugePage);
        data = (float*)NativeMemory.AlignedAlloc(size, HugePage);
        bytes = (long)size;
        GC.AddMemoryPressure(bytes);
        if (OperatingSystem.IsLinux()) _ = madvise(data, size, MadvHugePage);   // advice only: EINVAL means no THP here
    }

    public int Length { get; }

    public Span<float> Span => data is null ? throw new ObjectDisposedException(nameof(HugePageBuffer)) : new Span<float>(data, Length);

    public Span<float> Slice(long start, int length) => Span.Slice(checked((int)start), length);

    [DllImport("libc", SetLastError = true)]
    static extern int madvise(void* address, nuint length, int advice);

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    void Free()
    {
        var p = data;
        if (p is null) return;
        data = null;
        NativeMemory.AlignedFree(p);
        GC.RemoveMemoryPressure(bytes);
    }

    ~HugePageBuffer() => Free();
}
