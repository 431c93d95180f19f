namespace Actors.Tensors.Kernels;

/// <summary>Shape checks shared by the kernels: every message names the kernel, the tensor and both lengths.</summary>
internal static class KernelChecks
{
    public static void Positive(string kernel, string name, int value)
    {
        if (value < 0) throw new ArgumentException($"{kernel}: {name} is {value}, must be ≥ 0");
    }

    public static void Length(string kernel, string tensor, int found, long expected, string shape)
    {
        if (found != expected)
            throw new ArgumentException($"{kernel}: {tensor} holds {found} floats, expected {expected} = {shape}");
    }

    /// <summary>An optional tensor: empty means "skip", anything else must have the full length.</summary>
    public static void Optional(string kernel, string tensor, int found, long expected, string shape)
    {
        if (found != 0 && found != expected)
            throw new ArgumentException($"{kernel}: {tensor} holds {found} floats, expected 0 (skip) or {expected} = {shape}");
    }
}
