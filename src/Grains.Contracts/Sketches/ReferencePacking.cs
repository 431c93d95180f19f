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
        var w = new Writer(64 + references.Length * 96);
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
            int nonZero = 0;
            foreach (var level in levels) if (level != 0) nonZero++;
            if (2 * nonZero + 2 < levels.Length)
            {
                w.Byte(1);
                w.Varint((uint)nonZero);
                for (int i = 0; i < levels.Length; i++)
                    if (levels[i] != 0) { w.Varint((uint)i); w.Byte(levels[i]); }
            }
            else
            {
                w.Byte(0);
                w.Bytes(levels);
            }
        }
        return w.ToArray();
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

    struct Writer(int capacity)
    {
        byte[] buffer = new byte[capacity];
        int length;

        Span<byte> Take(int n)
        {
            if (length + n > buffer.Length) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + n));
            var span = buffer.AsSpan(length, n);
            length += n;
            return span;
        }

        public void Byte(byte b) => Take(1)[0] = b;
        public void Bytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));
        public void Double(double d) => BinaryPrimitives.WriteDoubleLittleEndian(Take(8), d);
        public void Float(float f) => BinaryPrimitives.WriteSingleLittleEndian(Take(4), f);

        public void Varint(uint v)
        {
            Span<byte> bytes = stackalloc byte[Leb128.MaxBytes];
            int n = 0;
            Leb128.Write(bytes, ref n, v);
            Bytes(bytes[..n]);
        }

        public void String(string? s)
        {
            if (s is null) { Varint(0); return; }
            int bytes = Encoding.UTF8.GetByteCount(s);
            Varint((uint)bytes + 1);
            Encoding.UTF8.GetBytes(s, Take(bytes));
        }

        public void Hash(string hash)
        {
            if (!IsLowerHex(hash)) { Byte(0); String(hash); return; }
            Byte(1);
            Convert.FromHexString(hash, Take(HashBytes), out _, out _);
        }

        public readonly byte[] ToArray() => buffer.AsSpan(0, length).ToArray();
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
