using System.IO.Compression;
using System.Text;

using Actors.Vision.Checkpoints.Torch;

namespace Actors.Vision.Checkpoints;

/// <summary>
/// Reads PyTorch checkpoints written by torch.save (the zip format of PyTorch ≥ 1.6): a zip whose single top folder
/// holds data.pkl (the pickled object, storages as persistent ids), data/{key} (raw little-endian storage bytes),
/// version and byteorder. The pickle goes through <see cref="RestrictedUnpickler"/>, so no Python code is named or run.
/// </summary>
public static class TorchCheckpoint
{
    public static TorchCheckpointContents Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"PyTorch checkpoint not found: {path}", path);
        CheckIsZip(path);

        using var zip = OpenZip(path);
        var pickleEntry = FindDataPickle(zip, path);
        string prefix = pickleEntry.FullName[..^"data.pkl".Length]; // "archive/" or "<stem>/"
        if (zip.GetEntry(prefix + "constants.pkl") is not null || zip.Entries.Any(e => e.FullName.StartsWith(prefix + "code/", StringComparison.Ordinal)))
            throw new CheckpointFormatException(path, null,
                "this is a TorchScript archive (torch.jit.save), not a torch.save state dict; export its state_dict() with torch.save or as safetensors.");
        bool bigEndian = ReadByteOrder(zip, prefix, path);

        var storages = new Dictionary<string, TorchStorage>();
        object? PersistentLoad(object? pid) => LoadStorageReference(pid, storages, path);
        object? root;
        try
        {
            root = new RestrictedUnpickler(ReadAll(pickleEntry), path, PersistentLoad).Load();
        }
        catch (InvalidCastException e)
        {
            throw new CheckpointFormatException(path, null, "corrupt pickle: " + e.Message, e);
        }

        var bytesCache = new Dictionary<string, byte[]>();
        var tensors = new Dictionary<string, NamedTensor>();
        var values = new Dictionary<string, object?>();
        Flatten(root, "", (name, leaf) =>
        {
            if (leaf is TorchTensor t)
                tensors[name] = Materialize(t, name, StorageBytes(zip, prefix, t.Storage, bytesCache, bigEndian, path, name), path);
            else values[name] = leaf;
        });
        return new TorchCheckpointContents { FilePath = path, Tensors = tensors, Values = values, Root = root };
    }

    private static void CheckIsZip(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using (var fs = File.OpenRead(path))
        {
            int n = fs.ReadAtLeast(head, 4, throwOnEndOfStream: false);
            if (n == 4 && head.SequenceEqual("PK\x03\x04"u8)) return;
            if (n >= 2 && head[0] == 0x80)
                throw new CheckpointFormatException(path, null,
                    "this is the legacy (PyTorch < 1.6) torch.save format, which is not supported; re-save it with a current torch.save.");
        }
        throw new CheckpointFormatException(path, null, "not a PyTorch checkpoint (expected a torch.save zip archive).");
    }

    private static ZipArchive OpenZip(string path)
    {
        try { return ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new CheckpointFormatException(path, null, "zip archive is corrupt or truncated: " + e.Message, e); }
    }

    private static ZipArchiveEntry FindDataPickle(ZipArchive zip, string path)
    {
        var candidates = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList();
        if (candidates.Count == 1) return candidates[0];
        var root = zip.GetEntry("data.pkl");
        if (candidates.Count == 0 && root is not null) return root;
        throw new CheckpointFormatException(path, null, candidates.Count == 0
            ? "the zip has no <folder>/data.pkl record, so it was not written by torch.save."
            : "the zip has several data.pkl records: " + string.Join(", ", candidates.Select(c => c.FullName)));
    }

    private static bool ReadByteOrder(ZipArchive zip, string prefix, string path)
    {
        var entry = zip.GetEntry(prefix + "byteorder");
        if (entry is null) return false; // files before the byteorder record were written little-endian in practice
        string order = Encoding.ASCII.GetString(ReadAll(entry)).Trim();
        return order switch
        {
            "little" => false,
            "big" => true,
            _ => throw new CheckpointFormatException(path, null, $"unknown byteorder record '{order}'."),
        };
    }

    /// <summary>torch.save's persistent id: ('storage', storage_type, key, location, numel).</summary>
    private static TorchStorage LoadStorageReference(object? pid, Dictionary<string, TorchStorage> storages, string path)
    {
        if (pid is not PickleTuple { Count: 5 } t || t[0] is not string kind)
            throw new CheckpointFormatException(path, null, "corrupt pickle: a persistent id is not ('storage', type, key, location, numel).");
        if (kind != "storage") throw new CheckpointFormatException(path, null, $"unsupported persistent id kind '{kind}'.");
        if (t[1] is not PickleGlobal type || !TorchScalarTypes.TryFromStorageClass(type.Name, out var dtype))
            throw new CheckpointFormatException(path, null, $"persistent id names {t[1]} where a storage type was expected.");
        string key = t[2]?.ToString() ?? throw new CheckpointFormatException(path, null, "storage key is None.");
        if (t[4] is not long numel || numel < 0) throw new CheckpointFormatException(path, null, $"storage {key} has no valid element count.");
        var storage = new TorchStorage(key, dtype, t[3]?.ToString() ?? "cpu", numel);
        if (storages.TryGetValue(key, out var existing))
        {
            // The same storage referenced twice must agree on its byte size, otherwise the file is inconsistent.
            if (existing.ByteLength != storage.ByteLength)
                throw new CheckpointFormatException(path, null, $"storage {key} is described with two different sizes.");
            return existing;
        }
        storages[key] = storage;
        return storage;
    }

    private static byte[] StorageBytes(ZipArchive zip, string prefix, TorchStorage storage, Dictionary<string, byte[]> cache,
        bool bigEndian, string path, string tensorName)
    {
        if (cache.TryGetValue(storage.Key, out var cached)) return cached;
        string recordName = prefix + "data/" + storage.Key;
        var entry = zip.GetEntry(recordName)
                    ?? throw new CheckpointFormatException(path, tensorName, $"its storage record '{recordName}' is missing from the archive.");
        if (entry.Length < storage.ByteLength)
            throw new CheckpointFormatException(path, tensorName,
                $"storage record '{recordName}' has {entry.Length} bytes but {storage.Numel} × {storage.DType} needs {storage.ByteLength}.");
        byte[] bytes;
        try { bytes = ReadAll(entry); }
        catch (InvalidDataException e) { throw new CheckpointFormatException(path, tensorName, $"storage record '{recordName}' is corrupt: {e.Message}", e); }
        if (bigEndian) SwapToLittleEndian(bytes, storage.DType.Size());
        cache[storage.Key] = bytes;
        return bytes;
    }

    private static void SwapToLittleEndian(byte[] bytes, int elementSize)
    {
        if (elementSize == 1) return;
        for (int i = 0; i + elementSize <= bytes.Length; i += elementSize) Array.Reverse(bytes, i, elementSize);
    }

    /// <summary>Copies a strided view out of its storage into a contiguous float32 array.</summary>
    internal static NamedTensor Materialize(TorchTensor t, string name, byte[] storageBytes, string path)
    {
        int[] shape = new int[t.Size.Length];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (t.Size[i] > int.MaxValue) throw new CheckpointFormatException(path, name, $"dimension {i} of size {t.Size[i]} is too large.");
            shape[i] = (int)t.Size[i];
            count *= t.Size[i];
        }
        if (count > Array.MaxLength) throw new CheckpointFormatException(path, name, $"{count} elements exceed one float array.");
        var data = new float[count];
        string source = t.DType.SafetensorsName();
        if (count == 0) return new NamedTensor(name, shape, data, source);

        long available = storageBytes.Length / t.DType.Size();
        long last = t.Offset;
        for (int i = 0; i < shape.Length; i++) last += (t.Size[i] - 1) * t.Stride[i];
        if (last >= available)
            throw new CheckpointFormatException(path, name,
                $"shape [{string.Join(", ", t.Size)}] with stride ({string.Join(", ", t.Stride)}) and offset {t.Offset} reaches element {last}, " +
                $"but its storage holds {available} {t.DType} elements.");

        var raw = storageBytes.AsSpan();
        if (IsContiguous(t) && ToSafetensorsDType(t.DType) is { } fast)
        {
            // Fast path for the usual case: one block decode instead of a per-element strided walk.
            int size = t.DType.Size();
            SafeTensorsFile.Decode(raw.Slice(checked((int)(t.Offset * size)), checked((int)(count * size))), fast, data);
            return new NamedTensor(name, shape, data, source);
        }
        int rank = shape.Length;
        var index = new long[rank];
        long position = t.Offset;
        for (long n = 0; n < count; n++)
        {
            data[n] = t.DType.ReadAsFloat(raw, position);
            // Odometer increment over the multi-index, last dimension fastest (row-major output order).
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                position += t.Stride[d];
                if (index[d] < t.Size[d]) break;
                position -= t.Stride[d] * t.Size[d];
                index[d] = 0;
            }
        }
        return new NamedTensor(name, shape, data, source);
    }

    private static bool IsContiguous(TorchTensor t)
    {
        long expected = 1;
        for (int d = t.Size.Length - 1; d >= 0; d--)
        {
            if (t.Size[d] != 1 && t.Stride[d] != expected) return false;
            expected *= t.Size[d];
        }
        return true;
    }

    private static DType? ToSafetensorsDType(TorchScalarType t) => t switch
    {
        TorchScalarType.Float32 => DType.F32,
        TorchScalarType.Float16 => DType.F16,
        TorchScalarType.BFloat16 => DType.BF16,
        TorchScalarType.Float64 => DType.F64,
        TorchScalarType.Int64 => DType.I64,
        TorchScalarType.Int32 => DType.I32,
        _ => null,
    };

    private static void Flatten(object? node, string name, Action<string, object?> leaf)
    {
        static string Join(string a, string b) => a.Length == 0 ? b : a + "." + b;
        switch (node)
        {
            case PickleDict d:
                foreach (var kv in d.Items) Flatten(kv.Value, Join(name, KeyText(kv.Key)), leaf);
                break;
            case List<object?> l:
                for (int i = 0; i < l.Count; i++) Flatten(l[i], Join(name, i.ToString()), leaf);
                break;
            case PickleTuple t:
                for (int i = 0; i < t.Count; i++) Flatten(t[i], Join(name, i.ToString()), leaf);
                break;
            case TorchTensor:
                leaf(name.Length == 0 ? "tensor" : name, node);
                break;
            default:
                leaf(name.Length == 0 ? "value" : name, node);
                break;
        }
    }

    private static string KeyText(object? key) => key switch
    {
        null => "None",
        string s => s,
        bool b => b ? "True" : "False",
        double v => v.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => key.ToString() ?? "",
    };

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var s = entry.Open();
        var buffer = new byte[entry.Length];
        s.ReadExactly(buffer);
        return buffer;
    }
}
