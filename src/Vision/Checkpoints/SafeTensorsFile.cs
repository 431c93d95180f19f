using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Actors.Vision.Checkpoints;

/// <summary>
/// Reader and writer for the safetensors format (huggingface/safetensors): an 8-byte little-endian header length N,
/// N bytes of JSON {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}, then the
/// raw little-endian tensor bytes, offsets counted from the end of the header.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>Upper bound on the JSON header, as the reference implementation has, so a corrupt length cannot
    /// make us allocate gigabytes.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    public sealed record TensorEntry(string Name, DType DType, int[] Shape, long Begin, long End)
    {
        public long ElementCount => NamedTensor.CountElements(Shape);
    }

    public sealed record Header(
        IReadOnlyList<TensorEntry> Tensors,
        IReadOnlyDictionary<string, string> Metadata,
        long DataStart,
        long DataLength);

    /// <summary>All tensors, converted to float32, in file order.</summary>
    public static IReadOnlyDictionary<string, NamedTensor> Read(string path)
    {
        using var stream = OpenRead(path);
        var header = ReadHeader(stream, path);
        var result = new Dictionary<string, NamedTensor>(header.Tensors.Count);
        foreach (var entry in header.Tensors)
            result[entry.Name] = ReadEntry(stream, path, header, entry);
        return result;
    }

    /// <summary>Just the tensor list (names, dtypes, shapes, offsets) and metadata, without reading data.</summary>
    public static Header ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        return ReadHeader(stream, path);
    }

    /// <summary>The "__metadata__" string map (empty when the file has none).</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path) => ReadHeader(path).Metadata;

    /// <summary>One tensor by name.</summary>
    public static NamedTensor ReadTensor(string path, string name)
    {
        using var stream = OpenRead(path);
        var header = ReadHeader(stream, path);
        var entry = header.Tensors.FirstOrDefault(t => t.Name == name)
                    ?? throw new CheckpointFormatException(path, name, "no such tensor in the file.");
        return ReadEntry(stream, path, header, entry);
    }

    /// <summary>
    /// Writes the tensors in the given order, converted to <paramref name="dtype"/> (F32, F16 or BF16; narrowing
    /// rounds to nearest even). The header is padded with spaces so the data starts 8-byte aligned.
    /// </summary>
    public static void Write(string path, IEnumerable<NamedTensor> tensors, DType dtype = DType.F32,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (dtype is not (DType.F32 or DType.F16 or DType.BF16))
            throw new ArgumentException($"Writing safetensors supports F32, F16 and BF16, not {dtype}.", nameof(dtype));
        var list = tensors.ToList();
        var seen = new HashSet<string>();
        foreach (var t in list)
        {
            if (t.Name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' cannot be a tensor name.");
            if (!seen.Add(t.Name)) throw new ArgumentException($"Tensor '{t.Name}' appears twice.");
            if (t.Shape.Any(d => d < 0)) throw new ArgumentException($"Tensor '{t.Name}' has a negative dimension {t.ShapeText}.");
            if (t.ElementCount != t.Data.Length)
                throw new ArgumentException(
                    $"Tensor '{t.Name}': shape {t.ShapeText} needs {t.ElementCount} values, data has {t.Data.Length}.");
        }

        byte[] headerBytes = BuildHeader(list, dtype, metadata);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)headerBytes.Length);
        stream.Write(len);
        stream.Write(headerBytes);
        foreach (var t in list) WriteData(stream, t.Data, dtype);
    }

    private static byte[] BuildHeader(List<NamedTensor> list, DType dtype, IReadOnlyDictionary<string, string>? metadata)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in list)
            {
                long size = t.ElementCount * dtype.SizeInBytes();
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", dtype.Name());
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + size);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += size;
            }
            w.WriteEndObject();
        }
        int padded = (int)((ms.Length + 7) / 8 * 8);
        var bytes = new byte[padded];
        ms.ToArray().CopyTo(bytes, 0);
        for (int i = (int)ms.Length; i < padded; i++) bytes[i] = (byte)' ';
        return bytes;
    }

    private static void WriteData(Stream stream, float[] data, DType dtype)
    {
        const int chunk = 1 << 16;
        var buffer = new byte[chunk * 4];
        for (int start = 0; start < data.Length; start += chunk)
        {
            int n = Math.Min(chunk, data.Length - start);
            var src = data.AsSpan(start, n);
            switch (dtype)
            {
                case DType.F32:
                    for (int i = 0; i < n; i++) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), src[i]);
                    stream.Write(buffer, 0, n * 4);
                    break;
                case DType.F16:
                    for (int i = 0; i < n; i++) BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(i * 2), HalfPrecision.FloatToHalf(src[i]));
                    stream.Write(buffer, 0, n * 2);
                    break;
                case DType.BF16:
                    for (int i = 0; i < n; i++) BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(i * 2), HalfPrecision.FloatToBFloat16(src[i]));
                    stream.Write(buffer, 0, n * 2);
                    break;
            }
        }
    }

    private static FileStream OpenRead(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Safetensors file not found: {path}", path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    private static Header ReadHeader(FileStream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new CheckpointFormatException(path, null, $"file is truncated: {fileLength} bytes, the 8-byte header length is missing.");
        Span<byte> lenBytes = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(lenBytes);
        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
        if (headerLen > MaxHeaderBytes)
            throw new CheckpointFormatException(path, null, $"header length {headerLen} exceeds the {MaxHeaderBytes}-byte limit (not a safetensors file, or corrupt).");
        if ((long)headerLen > fileLength - 8)
            throw new CheckpointFormatException(path, null, $"header length {headerLen} runs past the end of the file ({fileLength} bytes): file truncated or corrupt.");
        var json = new byte[headerLen];
        stream.ReadExactly(json);
        long dataStart = 8 + (long)headerLen;
        long dataLength = fileLength - dataStart;

        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new CheckpointFormatException(path, null, $"header is not valid JSON: {e.Message}", e); }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointFormatException(path, null, "header JSON is not an object.");
            var metadata = new Dictionary<string, string>();
            var entries = new List<TensorEntry>();
            var names = new HashSet<string>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == MetadataKey)
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object)
                        throw new CheckpointFormatException(path, null, "__metadata__ is not an object of strings.");
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String)
                            throw new CheckpointFormatException(path, null, $"__metadata__ value for '{m.Name}' is not a string.");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                if (!names.Add(prop.Name))
                    throw new CheckpointFormatException(path, prop.Name, "appears twice in the header.");
                entries.Add(ParseEntry(path, prop.Name, prop.Value));
            }
            ValidateLayout(path, entries, dataLength);
            entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
            return new Header(entries, metadata, dataStart, dataLength);
        }
    }

    private static TensorEntry ParseEntry(string path, string name, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(path, name, "header entry is not an object.");
        if (!e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw new CheckpointFormatException(path, name, "header entry has no \"dtype\" string.");
        string dtypeName = dt.GetString()!;
        if (!DTypes.TryParse(dtypeName, out var dtype))
            throw new CheckpointFormatException(path, name, $"unsupported dtype '{dtypeName}' (supported: F32, F16, BF16, F64, I64, I32).");
        if (!e.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
            throw new CheckpointFormatException(path, name, "header entry has no \"shape\" array.");
        var shape = new List<int>();
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int v) || v < 0)
                throw new CheckpointFormatException(path, name, $"shape {sh.GetRawText()} has an entry that is not a non-negative integer.");
            shape.Add(v);
        }
        if (!e.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw new CheckpointFormatException(path, name, "header entry has no \"data_offsets\" [begin, end] pair.");
        if (!off[0].TryGetInt64(out long begin) || !off[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            throw new CheckpointFormatException(path, name, $"data_offsets {off.GetRawText()} are not a valid [begin, end] pair.");

        var entry = new TensorEntry(name, dtype, shape.ToArray(), begin, end);
        long expected = checked(entry.ElementCount * dtype.SizeInBytes());
        if (end - begin != expected)
            throw new CheckpointFormatException(path, name,
                $"byte size {end - begin} does not match shape [{string.Join(", ", entry.Shape)}] × {dtypeName} ({expected} bytes).");
        return entry;
    }

    private static void ValidateLayout(string path, List<TensorEntry> entries, long dataLength)
    {
        foreach (var e in entries)
            if (e.End > dataLength)
                throw new CheckpointFormatException(path, e.Name,
                    $"data_offsets [{e.Begin}, {e.End}] run past the end of the data ({dataLength} bytes): file truncated or corrupt.");
        var sorted = entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin).ToList();
        for (int i = 1; i < sorted.Count; i++)
            if (sorted[i].Begin < sorted[i - 1].End)
                throw new CheckpointFormatException(path, sorted[i].Name,
                    $"data_offsets [{sorted[i].Begin}, {sorted[i].End}] overlap tensor '{sorted[i - 1].Name}' [{sorted[i - 1].Begin}, {sorted[i - 1].End}].");
    }

    private static NamedTensor ReadEntry(FileStream stream, string path, Header header, TensorEntry entry)
    {
        long byteCount = entry.End - entry.Begin;
        if (entry.ElementCount > Array.MaxLength)
            throw new CheckpointFormatException(path, entry.Name, $"{entry.ElementCount} elements exceed what one float array can hold.");
        var data = new float[entry.ElementCount];
        stream.Position = header.DataStart + entry.Begin;
        const int chunkBytes = 1 << 20;
        var buffer = new byte[Math.Min(chunkBytes, Math.Max(byteCount, 8))];
        int size = entry.DType.SizeInBytes();
        long done = 0;
        int outIndex = 0;
        while (done < byteCount)
        {
            int n = (int)Math.Min(buffer.Length / size * size, byteCount - done);
            stream.ReadExactly(buffer, 0, n);
            outIndex += Decode(buffer.AsSpan(0, n), entry.DType, data.AsSpan(outIndex));
            done += n;
        }
        return new NamedTensor(entry.Name, entry.Shape, data, entry.DType.Name());
    }

    /// <summary>Converts little-endian raw elements to float32; returns the number written.</summary>
    internal static int Decode(ReadOnlySpan<byte> raw, DType dtype, Span<float> dst)
    {
        int count = raw.Length / dtype.SizeInBytes();
        switch (dtype)
        {
            case DType.F32:
                if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, float>(raw).CopyTo(dst);
                else for (int i = 0; i < count; i++) dst[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
                break;
            case DType.F16:
                for (int i = 0; i < count; i++) dst[i] = HalfPrecision.HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(raw[(i * 2)..]));
                break;
            case DType.BF16:
                for (int i = 0; i < count; i++) dst[i] = HalfPrecision.BFloat16ToFloat(BinaryPrimitives.ReadUInt16LittleEndian(raw[(i * 2)..]));
                break;
            case DType.F64:
                for (int i = 0; i < count; i++) dst[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]);
                break;
            case DType.I64:
                for (int i = 0; i < count; i++) dst[i] = BinaryPrimitives.ReadInt64LittleEndian(raw[(i * 8)..]);
                break;
            case DType.I32:
                for (int i = 0; i < count; i++) dst[i] = BinaryPrimitives.ReadInt32LittleEndian(raw[(i * 4)..]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null);
        }
        return count;
    }
}
