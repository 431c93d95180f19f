using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Actors.Vision.Checkpoints;
using Actors.Vision.Checkpoints.Torch;

namespace Actors.Vision.Tests.Checkpoints;

/// <summary>
/// The fixtures are torch.save-format zips written by tests/fixtures-src/torch/make_pt_fixtures.py (stdlib Python
/// reproducing torch's pickling and zip layout); expected.json holds what the script put in them.
/// </summary>
public class TorchCheckpointTests
{
    private static string Fixture(string name) => RepoPaths.Fixture("torch", name);

    private static readonly Dictionary<string, string> ExpectedDType = new()
    {
        ["float32"] = "F32", ["float16"] = "F16", ["bfloat16"] = "BF16", ["float64"] = "F64", ["int64"] = "I64",
        ["int32"] = "I32", ["int16"] = "I16", ["int8"] = "I8", ["uint8"] = "U8", ["bool"] = "BOOL",
    };

    [Theory]
    [InlineData("state_dict_v2.pt")]
    [InlineData("nested_sae_p4.pt")]
    [InlineData("untyped_v3_p5.pt")]
    public void EveryTensorAndValueMatchesWhatTheGeneratorSaved(string file)
    {
        using var expectedDoc = JsonDocument.Parse(File.ReadAllText(Fixture("expected.json")));
        var expected = expectedDoc.RootElement.GetProperty(file);
        var contents = TorchCheckpoint.Read(Fixture(file));

        var expectedTensors = expected.GetProperty("tensors").EnumerateObject().ToList();
        Assert.Equal(expectedTensors.Select(p => p.Name).Order(), contents.Tensors.Keys.Order());
        foreach (var p in expectedTensors)
        {
            var t = contents.Tensors[p.Name];
            Assert.Equal(p.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), t.Shape);
            Assert.Equal(ExpectedDType[p.Value.GetProperty("dtype").GetString()!], t.SourceDType);
            var values = p.Value.GetProperty("values").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
            Assert.Equal(values, t.Data);
            Assert.Equal(p.Name, t.Name);
        }

        var expectedValues = expected.GetProperty("values").EnumerateObject().ToList();
        Assert.Equal(expectedValues.Select(p => p.Name).Order(), contents.Values.Keys.Order());
        foreach (var p in expectedValues)
        {
            string kind = p.Value[0].GetString()!;
            string? text = p.Value[1].GetString();
            object? actual = contents.Values[p.Name];
            switch (kind)
            {
                case "int" when actual is BigInteger big: Assert.Equal(BigInteger.Parse(text!), big); break;
                case "int": Assert.Equal(long.Parse(text!, CultureInfo.InvariantCulture), Assert.IsType<long>(actual)); break;
                case "float": Assert.Equal(double.Parse(text!, CultureInfo.InvariantCulture), Assert.IsType<double>(actual)); break;
                case "str": Assert.Equal(text, Assert.IsType<string>(actual)); break;
                case "bool": Assert.Equal(text == "True", Assert.IsType<bool>(actual)); break;
                case "NoneType": Assert.Null(actual); break;
                default: Assert.Fail($"unexpected kind {kind}"); break;
            }
        }
    }

    [Fact]
    public void ATransposedViewOfASharedStorageIsCopiedOutInRowMajorOrder()
    {
        var t = TorchCheckpoint.Read(Fixture("state_dict_v2.pt")).Tensors;
        var w = t["encoder.weight"].Data; // [3,4]
        var wt = t["decoder.weight"].Data; // [4,3] = w transposed, same storage
        for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            Assert.Equal(w[i * 4 + j], wt[j * 3 + i]);
        Assert.Equal(w.AsSpan(4, 4).ToArray(), t["encoder.row1"].Data);
        Assert.Equal(new[] { w[2], w[6], w[10] }, t["encoder.col2"].Data);
    }

    [Fact]
    public void TensorsUnderAPrefixDropThePrefixForStateDictWrappers()
    {
        var sd = TorchCheckpoint.Read(Fixture("nested_sae_p4.pt")).TensorsUnder("state_dict");
        Assert.Equal(["W_dec", "W_enc", "b_dec", "threshold"], sd.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("W_enc", sd["W_enc"].Name);
    }

    [Theory]
    [InlineData("malicious_os_system.pt", "os.system")]
    [InlineData("malicious_builtins_eval.pt", "builtins.eval")]
    [InlineData("malicious_hidden_in_state_dict.pt", "posix.system")]
    public void APickleNamingAnyOtherGlobalIsRefusedAndTheGlobalIsNamed(string file, string global)
    {
        var e = Assert.Throws<UnsafePickleException>(() => TorchCheckpoint.Read(Fixture(file)));
        Assert.Equal(global, e.Global);
        Assert.Contains($"'{global}'", e.Message);
        Assert.Contains(file, e.Message);
    }

    private static object? Unpickle(byte[] pickle) =>
        new RestrictedUnpickler(pickle, "inline.pkl", pid => throw new InvalidOperationException("no storages")).Load();

    [Fact]
    public void TheOldInstOpcodeCannotSmuggleAClassPastTheAllowList()
    {
        // (  S'ls'  i subprocess\nPopen\n  .   -- protocol 0 instance creation
        var e = Assert.Throws<UnsafePickleException>(() => Unpickle(Encoding.ASCII.GetBytes("(X\u0002\0\0\0lsisubprocess\nPopen\n.")));
        Assert.Equal("subprocess.Popen", e.Global);
    }

    [Fact]
    public void ANameThatOnlyResemblesAnAllowedTorchFunctionIsRefused()
    {
        var e = Assert.Throws<UnsafePickleException>(() => Unpickle(Encoding.Latin1.GetBytes("\u0080\u0002ctorch._utils\n_rebuild_tensor_evil\n).")));
        Assert.Equal("torch._utils._rebuild_tensor_evil", e.Global);
        Assert.Throws<UnsafePickleException>(() => Unpickle(Encoding.Latin1.GetBytes("\u0080\u0002ctorch\nload\n).")));
    }

    [Fact]
    public void PlainContainersAndScalarsUnpickleToTheirDotNetCounterparts()
    {
        // {'a': [1, -2, 3.5, 'x', None, True], 'b': (300, 70000)} written with protocol 2 by CPython.
        byte[] p = Convert.FromHexString(
            "80027d71002858010000006171015d710228" + "4b01" + "4afeffffff" + "47400c000000000000" +
            "5801000000787103" + "4e" + "88" + "6558010000006271044d2c014a70110100" + "86710575" + "2e");
        var d = Assert.IsType<PickleDict>(Unpickle(p));
        Assert.True(d.TryGet("a", out var a));
        Assert.Equal(new object?[] { 1L, -2L, 3.5, "x", null, true }, Assert.IsType<List<object?>>(a));
        Assert.True(d.TryGet("b", out var b));
        Assert.Equal(new object?[] { 300L, 70000L }, Assert.IsType<PickleTuple>(b).Items);
    }

    [Fact]
    public void ATruncatedPickleIsAFormatErrorNotACrash()
    {
        var e = Assert.Throws<CheckpointFormatException>(() => Unpickle([0x80, 0x02, 0x5d, 0x71]));
        Assert.Contains("pickle", e.Message);
    }

    private static string CopyWith(TempDir tmp, Action<ZipArchive> edit)
    {
        var path = tmp.File("edited.pt");
        File.Copy(Fixture("state_dict_v2.pt"), path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update)) edit(zip);
        return path;
    }

    [Fact]
    public void AMissingStorageRecordNamesTheTensorThatNeedsIt()
    {
        using var tmp = new TempDir();
        var path = CopyWith(tmp, z => z.GetEntry("archive/data/1")!.Delete());
        var e = Assert.Throws<CheckpointFormatException>(() => TorchCheckpoint.Read(path));
        Assert.Equal("encoder.bias", e.TensorName);
        Assert.Contains("archive/data/1", e.Message);
    }

    [Fact]
    public void AStorageRecordShorterThanItsDeclaredSizeIsRefused()
    {
        using var tmp = new TempDir();
        var path = CopyWith(tmp, z =>
        {
            z.GetEntry("archive/data/0")!.Delete();
            using var s = z.CreateEntry("archive/data/0").Open();
            s.Write(new byte[20]);
        });
        var e = Assert.Throws<CheckpointFormatException>(() => TorchCheckpoint.Read(path));
        Assert.Equal("encoder.weight", e.TensorName);
        Assert.Contains("20 bytes", e.Message);
    }

    [Fact]
    public void AFileThatIsNotAZipOrIsTheLegacyFormatGetsAClearError()
    {
        using var tmp = new TempDir();
        File.WriteAllBytes(tmp.File("text.pt"), Encoding.ASCII.GetBytes("hello world"));
        Assert.Contains("not a PyTorch checkpoint", Assert.Throws<CheckpointFormatException>(() => TorchCheckpoint.Read(tmp.File("text.pt"))).Message);
        File.WriteAllBytes(tmp.File("legacy.pt"), [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46]);
        Assert.Contains("legacy", Assert.Throws<CheckpointFormatException>(() => TorchCheckpoint.Read(tmp.File("legacy.pt"))).Message);
        Assert.Throws<FileNotFoundException>(() => TorchCheckpoint.Read(tmp.File("absent.pt")));
    }

    [Fact]
    public void AViewReachingPastItsStorageIsRefusedWithShapeAndStride()
    {
        var storage = new TorchStorage("0", TorchScalarType.Float32, "cpu", 4);
        var view = new TorchTensor(storage, 1, [2, 2], [2, 1], TorchScalarType.Float32);
        var e = Assert.Throws<CheckpointFormatException>(() => TorchCheckpoint.Materialize(view, "w", new byte[16], "f.pt"));
        Assert.Contains("[2, 2]", e.Message);
        Assert.Contains("(2, 1)", e.Message);
        Assert.Equal("w", e.TensorName);
    }
}
