using System.IO.Compression;
using System.Text;
using Actors.Vision.Checkpoints;

namespace Actors.Vision.Tests.Clip;

/// <summary>
/// Writes float32 tensors the way torch.save does (PyTorch ≥ 1.6 zip: archive/data.pkl with storages as persistent
/// ids, archive/data/N raw little-endian bytes, version, byteorder), as an OpenCLIP training checkpoint:
/// {"epoch": 1, "state_dict": OrderedDict("module." + name → tensor)}. Test-only, so the .pt loading path runs.
/// </summary>
internal static class TorchSaveWriter
{
    public static void WriteTrainingCheckpoint(string path, IEnumerable<NamedTensor> tensors, string namePrefix = "module.")
    {
        var list = tensors.ToList();
        var pkl = new MemoryStream();
        var w = new BinaryWriter(pkl);
        void Op(char c) => w.Write((byte)c);
        void Global(string module, string name) { Op('c'); w.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n")); }
        void Str(string s) { var b = Encoding.UTF8.GetBytes(s); Op('X'); w.Write(b.Length); w.Write(b); }
        void Int(int v) { Op('J'); w.Write(v); }
        void OrderedDict() { Global("collections", "OrderedDict"); Op(')'); Op('R'); }

        w.Write((byte)0x80); w.Write((byte)2);              // PROTO 2
        Op('}');                                             // {"epoch": 1, "state_dict": ...}
        Op('(');
        Str("epoch"); Int(1);
        Str("state_dict");
        OrderedDict();
        Op('(');
        for (int i = 0; i < list.Count; i++)
        {
            var t = list[i];
            Str(namePrefix + t.Name);
            Global("torch._utils", "_rebuild_tensor_v2");
            Op('(');
            Op('('); Str("storage"); Global("torch", "FloatStorage"); Str(i.ToString()); Str("cpu"); Int(t.Data.Length); Op('t');
            Op('Q');                                         // BINPERSID
            Int(0);                                          // storage offset
            Op('('); foreach (var d in t.Shape) Int(d); Op('t');
            Op('(');
            for (int k = 0; k < t.Shape.Length; k++) Int(t.Shape.Skip(k + 1).Aggregate(1, (a, b) => a * b));
            Op('t');
            w.Write((byte)0x89);                             // NEWFALSE: requires_grad
            OrderedDict();                                   // backward hooks
            Op('t');
            Op('R');
        }
        Op('u');                                             // SETITEMS into the state dict
        Op('u');                                             // SETITEMS into the top dict
        Op('.');
        w.Flush();

        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Entry(string name, byte[] bytes)
        {
            using var s = zip.CreateEntry("archive/" + name, CompressionLevel.NoCompression).Open();
            s.Write(bytes);
        }
        Entry("data.pkl", pkl.ToArray());
        Entry("byteorder", Encoding.ASCII.GetBytes("little"));
        for (int i = 0; i < list.Count; i++)
        {
            var bytes = new byte[list[i].Data.Length * 4];
            Buffer.BlockCopy(list[i].Data, 0, bytes, 0, bytes.Length);
            Entry($"data/{i}", bytes);
        }
        Entry("version", Encoding.ASCII.GetBytes("3\n"));
    }
}
