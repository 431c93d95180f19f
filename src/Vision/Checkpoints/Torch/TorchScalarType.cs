using System.Buffers.Binary;

namespace Actors.Vision.Checkpoints.Torch;

/// <summary>The element types PyTorch storages hold that a state dict can contain.</summary>
public enum TorchScalarType { Float32, Float16, BFloat16, Float64, Int64, Int32, Int16, Int8, UInt8, Bool }

internal static class TorchScalarTypes
{
    public static int Size(this TorchScalarType t) => t switch
    {
        TorchScalarType.Float64 or TorchScalarType.Int64 => 8,
        TorchScalarType.Float32 or TorchScalarType.Int32 => 4,
        TorchScalarType.Float16 or TorchScalarType.BFloat16 or TorchScalarType.Int16 => 2,
        _ => 1,
    };

    /// <summary>The safetensors spelling, used as <see cref="NamedTensor.SourceDType"/>.</summary>
    public static string SafetensorsName(this TorchScalarType t) => t switch
    {
        TorchScalarType.Float32 => "F32", TorchScalarType.Float16 => "F16", TorchScalarType.BFloat16 => "BF16",
        TorchScalarType.Float64 => "F64", TorchScalarType.Int64 => "I64", TorchScalarType.Int32 => "I32",
        TorchScalarType.Int16 => "I16", TorchScalarType.Int8 => "I8", TorchScalarType.UInt8 => "U8",
        _ => "BOOL",
    };

    /// <summary>Legacy typed storage classes (torch.FloatStorage ...) as torch.save names them.</summary>
    public static bool TryFromStorageClass(string name, out TorchScalarType t)
    {
        switch (name)
        {
            case "FloatStorage": t = TorchScalarType.Float32; return true;
            case "HalfStorage": t = TorchScalarType.Float16; return true;
            case "BFloat16Storage": t = TorchScalarType.BFloat16; return true;
            case "DoubleStorage": t = TorchScalarType.Float64; return true;
            case "LongStorage": t = TorchScalarType.Int64; return true;
            case "IntStorage": t = TorchScalarType.Int32; return true;
            case "ShortStorage": t = TorchScalarType.Int16; return true;
            case "CharStorage": t = TorchScalarType.Int8; return true;
            case "ByteStorage": t = TorchScalarType.UInt8; return true;
            case "UntypedStorage": t = TorchScalarType.UInt8; return true; // raw bytes; numel counts bytes
            case "BoolStorage": t = TorchScalarType.Bool; return true;
            default: t = default; return false;
        }
    }

    /// <summary>torch.float32 and friends, pickled as globals of module torch.</summary>
    public static bool TryFromDTypeName(string name, out TorchScalarType t)
    {
        switch (name)
        {
            case "float32" or "float": t = TorchScalarType.Float32; return true;
            case "float16" or "half": t = TorchScalarType.Float16; return true;
            case "bfloat16": t = TorchScalarType.BFloat16; return true;
            case "float64" or "double": t = TorchScalarType.Float64; return true;
            case "int64" or "long": t = TorchScalarType.Int64; return true;
            case "int32" or "int": t = TorchScalarType.Int32; return true;
            case "int16" or "short": t = TorchScalarType.Int16; return true;
            case "int8": t = TorchScalarType.Int8; return true;
            case "uint8": t = TorchScalarType.UInt8; return true;
            case "bool": t = TorchScalarType.Bool; return true;
            default: t = default; return false;
        }
    }

    /// <summary>Element <paramref name="index"/> of little-endian raw storage bytes, widened to float32.</summary>
    public static float ReadAsFloat(this TorchScalarType t, ReadOnlySpan<byte> raw, long index)
    {
        int size = t.Size();
        var b = raw.Slice(checked((int)(index * size)), size);
        return t switch
        {
            TorchScalarType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(b),
            TorchScalarType.Float16 => HalfPrecision.HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(b)),
            TorchScalarType.BFloat16 => HalfPrecision.BFloat16ToFloat(BinaryPrimitives.ReadUInt16LittleEndian(b)),
            TorchScalarType.Float64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(b),
            TorchScalarType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(b),
            TorchScalarType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(b),
            TorchScalarType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(b),
            TorchScalarType.Int8 => (sbyte)b[0],
            TorchScalarType.UInt8 => b[0],
            _ => b[0] != 0 ? 1f : 0f,
        };
    }
}

/// <summary>A storage named by a pickle persistent id ('storage', type, key, location, numel).
/// Its bytes live in the zip record data/{Key}; <see cref="Numel"/> counts elements of <see cref="DType"/>.</summary>
public sealed record TorchStorage(string Key, TorchScalarType DType, string Location, long Numel)
{
    public long ByteLength => Numel * DType.Size();
}

/// <summary>A tensor as _rebuild_tensor_v2/v3 describe it: a strided view (offset, size, stride in elements of
/// <see cref="DType"/>) into a storage.</summary>
public sealed record TorchTensor(TorchStorage Storage, long Offset, long[] Size, long[] Stride, TorchScalarType DType);
