using System.Buffers.Binary;
using System.Text;
using Actors.Vision.Checkpoints;

namespace Actors.Vision.Tests.Checkpoints;

public class SafeTensorsFileTests
{
    private static float[] Seeded(int n, int seed)
    {
        var rng = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 8 - 4);
        return a;
    }

    /// <summary>Builds a safetensors file byte by byte: the test writes the header JSON itself.</summary>
    private static byte[] HandMade(string headerJson, byte[] data, long? claimedHeaderLength = null)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)(claimedHeaderLength ?? header.Length));
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    [Fact]
    public void F32TensorsAndMetadataSurviveAWriteReadRoundTripBitForBit()
    {
        using var tmp = new TempDir();
        var tensors = new[]
        {
            NamedTensor.F32("vision_model.embeddings.class_embedding", [7], Seeded(7, 1)),
            NamedTensor.F32("w", [3, 5, 2], Seeded(30, 2)),
            NamedTensor.F32("logit_scale", [], [4.6052f]),
            NamedTensor.F32("empty", [0, 4], []),
        };
        var path = tmp.File("m.safetensors");
        SafeTensorsFile.Write(path, tensors, metadata: new Dictionary<string, string> { ["format"] = "pt", ["hook"] = "blocks.9" });

        var read = SafeTensorsFile.Read(path);
        Assert.Equal(tensors.Select(t => t.Name), read.Keys);
        foreach (var t in tensors)
        {
            Assert.Equal(t.Shape, read[t.Name].Shape);
            Assert.Equal(t.Data, read[t.Name].Data);
            Assert.Equal("F32", read[t.Name].SourceDType);
        }
        var meta = SafeTensorsFile.ReadMetadata(path);
        Assert.Equal("pt", meta["format"]);
        Assert.Equal("blocks.9", meta["hook"]);
        Assert.Equal(0, (new FileInfo(path).Length - 8 - SafeTensorsFile.ReadHeader(path).DataLength - 0) % 8); // data 8-byte aligned
        Assert.Equal(tensors[1].Data, SafeTensorsFile.ReadTensor(path, "w").Data);
    }

    [Theory]
    [InlineData(DType.F16)]
    [InlineData(DType.BF16)]
    public void HalfWidthWritesStoreTheRoundedValuesAndReadBackAsFloat32(DType dtype)
    {
        using var tmp = new TempDir();
        var data = Seeded(1000, 3);
        data[0] = 1e-7f; data[1] = 70000f; data[2] = -0f;
        var path = tmp.File("h.safetensors");
        SafeTensorsFile.Write(path, [NamedTensor.F32("x", [10, 100], data)], dtype);
        var x = SafeTensorsFile.Read(path)["x"];
        Assert.Equal(dtype.ToString(), x.SourceDType);
        Assert.Equal(2 * 1000, SafeTensorsFile.ReadHeader(path).Tensors[0].End);
        for (int i = 0; i < data.Length; i++)
        {
            // Independent expectation: System.Half for F16; for BF16 the value must be one of the two truncation
            // neighbours and within half a bfloat16 ulp (2^-8 relative).
            if (dtype == DType.F16) Assert.Equal((float)(Half)data[i], x.Data[i]);
            else Assert.True(Math.Abs(x.Data[i] - data[i]) <= Math.Abs(data[i]) * (1.0 / 256), $"{data[i]} -> {x.Data[i]}");
        }
    }

    [Fact]
    public void HandWrittenFileWithEveryReadableDTypeDecodesToTheExpectedValues()
    {
        using var tmp = new TempDir();
        var data = new List<byte>();
        void Add(byte[] b) => data.AddRange(b);
        Add(BitConverter.GetBytes(1.5f)); Add(BitConverter.GetBytes(-2.25f));           // F32  [0,8)
        Add([0x00, 0x3C, 0x00, 0xC0]);                                                   // F16  [8,12): 1, -2
        Add([0x80, 0x3F, 0x49, 0x40]);                                                   // BF16 [12,16): 1, 3.140625
        Add(BitConverter.GetBytes(0.1));                                                 // F64  [16,24)
        Add(BitConverter.GetBytes(-7L));                                                 // I64  [24,32)
        Add(BitConverter.GetBytes(123456));                                              // I32  [32,36)
        string json = """
            {"__metadata__":{"format":"pt"},
             "a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},
             "h":{"dtype":"F16","shape":[2,1],"data_offsets":[8,12]},
             "b":{"dtype":"BF16","shape":[1,2],"data_offsets":[12,16]},
             "d":{"dtype":"F64","shape":[],"data_offsets":[16,24]},
             "l":{"dtype":"I64","shape":[1],"data_offsets":[24,32]},
             "i":{"dtype":"I32","shape":[1],"data_offsets":[32,36]}}
            """;
        var path = tmp.File("hand.safetensors");
        File.WriteAllBytes(path, HandMade(json, data.ToArray()));
        var t = SafeTensorsFile.Read(path);
        Assert.Equal([1.5f, -2.25f], t["a"].Data);
        Assert.Equal([1f, -2f], t["h"].Data);
        Assert.Equal([2, 1], t["h"].Shape);
        Assert.Equal([1f, 3.140625f], t["b"].Data);
        Assert.Equal([0.1f], t["d"].Data);
        Assert.Empty(t["d"].Shape);
        Assert.Equal([-7f], t["l"].Data);
        Assert.Equal([123456f], t["i"].Data);
        Assert.Equal("BF16", t["b"].SourceDType);
    }

    private static CheckpointFormatException ReadFails(byte[] bytes, string fileName = "bad.safetensors")
    {
        using var tmp = new TempDir();
        var path = tmp.File(fileName);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointFormatException>(() => SafeTensorsFile.Read(path));
        Assert.Contains(fileName, e.Message);
        return e;
    }

    private static readonly byte[] EightFloats = new byte[32];

    [Fact]
    public void AFileShorterThanTheLengthPrefixIsReportedAsTruncated()
    {
        Assert.Contains("truncated", ReadFails([1, 2, 3]).Message);
    }

    [Fact]
    public void AHeaderLengthPastTheEndOfTheFileIsReported()
    {
        var e = ReadFails(HandMade("{}", [], claimedHeaderLength: 5000));
        Assert.Contains("5000", e.Message);
        Assert.Contains("past the end", e.Message);
    }

    [Fact]
    public void ATruncatedDataSectionNamesTheTensorThatRunsOffTheEnd()
    {
        var e = ReadFails(HandMade("""{"w":{"dtype":"F32","shape":[4,2],"data_offsets":[0,32]}}""", new byte[20]));
        Assert.Equal("w", e.TensorName);
        Assert.Contains("'w'", e.Message);
        Assert.Contains("past the end", e.Message);
    }

    [Fact]
    public void OverlappingTensorsAreRefused()
    {
        var e = ReadFails(HandMade("""
            {"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}
            """, EightFloats));
        Assert.Contains("overlap", e.Message);
        Assert.Equal("b", e.TensorName);
    }

    [Fact]
    public void AByteSizeThatDisagreesWithShapeTimesDTypeIsRefused()
    {
        var e = ReadFails(HandMade("""{"w":{"dtype":"F16","shape":[3,3],"data_offsets":[0,32]}}""", EightFloats));
        Assert.Equal("w", e.TensorName);
        Assert.Contains("[3, 3]", e.Message);
        Assert.Contains("18 bytes", e.Message);
    }

    [Fact]
    public void AnUnknownDTypeIsNamedInTheError()
    {
        var e = ReadFails(HandMade("""{"q":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}}""", EightFloats));
        Assert.Contains("F8_E4M3", e.Message);
        Assert.Equal("q", e.TensorName);
    }

    [Fact]
    public void AHeaderThatIsNotJsonIsRefused()
    {
        Assert.Contains("JSON", ReadFails(HandMade("{\"w\": [", EightFloats)).Message);
    }

    [Fact]
    public void OffsetsInTheWrongOrderAreRefused()
    {
        var e = ReadFails(HandMade("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", EightFloats));
        Assert.Contains("data_offsets", e.Message);
    }

    [Fact]
    public void AMissingFileGivesFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => SafeTensorsFile.Read("/nonexistent/x.safetensors"));
    }

    [Fact]
    public void WritingDataThatDoesNotMatchItsShapeIsRefusedBeforeAnythingIsWritten()
    {
        using var tmp = new TempDir();
        var bad = new NamedTensor("w", [2, 3], new float[5], "F32");
        var e = Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(tmp.File("x.safetensors"), [bad]));
        Assert.Contains("'w'", e.Message);
        Assert.False(File.Exists(tmp.File("x.safetensors")));
    }
}
