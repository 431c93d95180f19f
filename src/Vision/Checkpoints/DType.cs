namespace Actors.Vision.Checkpoints;

/// <summary>Element types as safetensors names them. Reading converts all of them to float32.</summary>
public enum DType
{
    F32,
    F16,
    BF16,
    F64,
    I64,
    I32,
}

public static class DTypes
{
    public static int SizeInBytes(this DType t) => t switch
    {
        DType.F32 or DType.I32 => 4,
        DType.F16 or DType.BF16 => 2,
        DType.F64 or DType.I64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };

    /// <summary>The safetensors spelling ("F32", "BF16", ...).</summary>
    public static string Name(this DType t) => t.ToString();

    public static bool TryParse(string name, out DType type)
    {
        switch (name)
        {
            case "F32": type = DType.F32; return true;
            case "F16": type = DType.F16; return true;
            case "BF16": type = DType.BF16; return true;
            case "F64": type = DType.F64; return true;
            case "I64": type = DType.I64; return true;
            case "I32": type = DType.I32; return true;
            default: type = default; return false;
        }
    }
}
