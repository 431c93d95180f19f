using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Actors.Grains.Sketches;

/// <summary>
/// The stored and wire form of a latent's reference images: one byte array for the whole list instead of an object
/// graph per entry. Every merge stores the latent, and as objects the 16 entries (each a record, an image ref with
/// three strings, a heatmap and its levels) were ~100 objects that Orleans's serializer tracked one by one, half of
/// a checkpoint's CPU at 49,152 latents; as bytes it is one array. It is also half the size: a content hash that is
/// 64 lowercase hex digits is kept as its 32 bytes, a corpus id equal to the previous entry's is not repeated, and a
/// heatmap keeps only its non-zero cells when that is shorter.
/// Layout (integers as unsigned LEB128 varints, strings as varint byte length + 1 then UTF-8, 0 for null):
/// version 1; count; per entry: activation (8 bytes, little-endian IEEE 754); corpus id (0 when equal to the previous
/// entry's); image id; content hash (tag 1 + 32 bytes, or tag 0 + string); label; heatmap width; when the width is
/// positive: peak (4 bytes), cell count, tag 0 + one level per cell or tag 1 + non-zero count + (cell, level) pairs.
/// </summary>
public static class ReferencePacking
{
    const byte Version = 1;
    const int HashBytes = 32;

    public static byte[] Pack(ReadOnlySpan<ReferenceImage> references)
    {
        // Every checkpoint packs every touched latent's list, so the writer fills one pooled buffer, sized from the
        // first entry, and the result is its one exact copy.
        int perEntry = 96 + (references.IsEmpty ? 0 : references[0].PatchHeatmap.Levels.Length);
        var w = new Writer(64 + references.Length * perEntry);
        try
        {
            w.Byte(Version);
            w.Varint((uint)references.Length);
            string? previousCorpus = null;
            foreach (var r in references)
            {
                w.Double(r.Activation);
                if (previousCorpus is not null && string.Equals(previousCorpus, r.Image.CorpusId, StringComparison.Ordinal)) w.Varint(0);
                else w.String(r.Image.CorpusId);
                previousCorpus = r.Image.CorpusId;
                w.String(r.Image.ImageId);
                w.Hash(r.Image.ContentHash);
                w.String(r.Label);
                var heatmap = r.PatchHeatmap;
                w.Varint((uint)heatmap.Width);
                if (heatmap.Width == 0) continue;
                w.Float(heatmap.Peak);
                var levels = heatmap.Levels;
                w.Varint((uint)levels.Length);
                int nonZero = levels.Length - levels.AsSpan().Count((byte)0);
                if (2 * nonZero + 2 < levels.Length)
                {
                    w.Byte(1);
                    w.Varint((uint)nonZero);
                    w.NonZeroCells(levels, nonZero);
                }
                else
                {
                    w.Byte(0);
                    w.Bytes(levels);
                }
            }
            return w.ToArray();
        }
        finally { w.Dispose(); }
    }

    public static ReferenceImage[] Unpack(byte[] packed)
    {
        var r = new Reader(packed);
        byte version = r.Byte();
        if (version != Version) throw new InvalidDataException($"packed reference images: version {version} is not {Version}");
        var items = new ReferenceImage[r.Count()];
        string? corpus = null;
        for (int n = 0; n < items.Length; n++)
        {
            double activation = r.Double();
            corpus = r.String() ?? corpus ?? throw new InvalidDataException("packed reference images: the first entry names no corpus");
            string imageId = r.String() ?? throw new InvalidDataException($"packed reference images: entry {n} has no image id");
            string hash = r.Hash();
            string? label = r.String();
            int width = r.Count();
            var heatmap = PatchHeatmap.None;
            if (width > 0)
            {
                float peak = r.Float();
                var levels = new byte[r.Count()];
                if (r.Byte() == 1)
                    for (int k = r.Count(); k > 0; k--)
                    {
                        int cell = r.Count();
                        if (cell >= levels.Length) throw new InvalidDataException($"packed reference images: heatmap cell {cell} of {levels.Length}");
                        levels[cell] = r.Byte();
                    }
                else r.Bytes(levels);
                heatmap = new PatchHeatmap(width, peak, levels);
            }
            items[n] = new ReferenceImage(new ImageRef(corpus, imageId, hash), activation, label, heatmap);
        }
        if (!r.AtEnd) throw new InvalidDataException("packed reference images: bytes left after the last entry");
        return items;
    }

    /// <summary>Whether a content hash is 64 lowercase hex digits (what the blob stores issue), kept as its 32 bytes.</summary>
    static bool IsLowerHex(string hash) => hash.Length == 2 * HashBytes && !hash.AsSpan().ContainsAnyExcept(LowerHexDigits);

    // Vectorized: a checkpoint packs 16 hashes per touched latent, and a loop of per-character tests took a third of packing's time (perf, ingest-wide).
    static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");

    /// <summary>Appends to a pooled buffer; each write makes room for itself first.</summary>
    struct Writer(int capacity) : IDisposable
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(capacity);
        int length;

        void Ensure(int n)
        {
            if (length + n <= buffer.Length) return;
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + n));
            buffer.AsSpan(0, length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        public void Byte(byte b) { Ensure(1); buffer[length++] = b; }
        public void Bytes(ReadOnlySpan<byte> bytes) { Ensure(bytes.Length); bytes.CopyTo(buffer.AsSpan(length)); length += bytes.Length; }
        public void Double(double d) { Ensure(8); BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(length), d); length += 8; }
        public void Float(float f) { Ensure(4); BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(length), f); length += 4; }
        public void Varint(uint v) { Ensure(Leb128.MaxBytes); Leb128.Write(buffer, ref length, v); }

        public void String(string? s)
        {
            if (s is null) { Byte(0); return; }
            // At most 42 UTF-16 units are at most 126 UTF-8 bytes, so the length (bytes + 1) is one varint byte:
            // encode in place behind it instead of measuring the string first. Longer strings take two passes.
            if (s.Length <= 42)
            {
                Ensure(1 + 3 * s.Length);
                int n = Encoding.UTF8.GetBytes(s, buffer.AsSpan(length + 1));
                buffer[length] = (byte)(n + 1);
                length += 1 + n;
                return;
            }
            int bytes = Encoding.UTF8.GetByteCount(s);
            Varint((uint)bytes + 1);
            Ensure(bytes);
            length += Encoding.UTF8.GetBytes(s, buffer.AsSpan(length));
        }

        public void Hash(string hash)
        {
            if (!IsLowerHex(hash)) { Byte(0); String(hash); return; }
            Ensure(1 + HashBytes);
            buffer[length++] = 1;
            Convert.FromHexString(hash, buffer.AsSpan(length, HashBytes), out _, out _);
            length += HashBytes;
        }

        /// <summary>(cell, level) for each of the <paramref name="nonZero"/> non-zero cells, in cell order.</summary>
        public void NonZeroCells(ReadOnlySpan<byte> levels, int nonZero)
        {
            if (levels.Length <= 128)
            {
                // Every cell index is one varint byte: write each pair and keep it only when the level is non-zero,
                // without a branch that a heatmap's scattered zeros would mispredict.
                Ensure(2 * levels.Length);
                var into = buffer.AsSpan(length);
                int at = 0;
                for (int i = 0; i < levels.Length; i++)
                {
                    into[at] = (byte)i;
                    into[at + 1] = levels[i];
                    at += levels[i] != 0 ? 2 : 0;
                }
                length += at;
                return;
            }
            Ensure(nonZero * (Leb128.MaxBytes + 1));
            for (int i = 0; i < levels.Length; i++)
                if (levels[i] != 0) { Leb128.Write(buffer, ref length, (uint)i); buffer[length++] = levels[i]; }
        }

        public readonly byte[] ToArray() => buffer.AsSpan(0, length).ToArray();

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
        }
    }

    ref struct Reader(byte[] data)
    {
        int at;

        public readonly bool AtEnd => at == data.Length;

        ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || at + n > data.Length) throw new InvalidDataException("packed reference images end early");
            var span = data.AsSpan(at, n);
            at += n;
            return span;
        }

        public byte Byte() => Take(1)[0];
        public void Bytes(Span<byte> into) => Take(into.Length).CopyTo(into);
        public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));
        public float Float() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

        /// <summary>A count or index (non-negative int).</summary>
        public int Count()
        {
            ulong v = Leb128.Read(data, ref at, "packed reference images");
            return v <= int.MaxValue ? (int)v : throw new InvalidDataException($"packed reference images: count {v} is out of range");
        }

        public string? String()
        {
            int n = Count();
            return n == 0 ? null : Encoding.UTF8.GetString(Take(n - 1));
        }

        public string Hash() => Byte() switch
        {
            1 => Convert.ToHexStringLower(Take(HashBytes)),
            0 => String() ?? throw new InvalidDataException("packed reference images: a content hash is null"),
            var tag => throw new InvalidDataException($"packed reference images: content hash tag {tag}"),
        };
    }
}
