using System.Globalization;
using System.Text.Json;
using Actors.Vision.Checkpoints;

namespace Actors.World.Training;

/// <summary>
/// A resumable training checkpoint as one safetensors file: every parameter under its HF name, Adam's first and
/// second moments under "adam.m.NAME" / "adam.v.NAME", and step, Adam step, seed and the architecture in the
/// metadata. Written to a temporary file and renamed, so a crash never leaves a half checkpoint.
/// </summary>
public static class TrainingCheckpoint
{
    public sealed record State(ClipTrainingConfig Config, int Step, int AdamStep, int Seed, float[] Parameters, float[] M, float[] V);

    public static void Save(string path, ClipTrainer trainer)
    {
        var model = trainer.Model;
        var tensors = new List<NamedTensor>();
        foreach (var t in model.Layout.Tensors)
        {
            tensors.Add(NamedTensor.F32(t.Name, t.Shape, model.Parameters.AsSpan(t.Offset, t.Length).ToArray()));
            tensors.Add(NamedTensor.F32("adam.m." + t.Name, t.Shape, trainer.Optimizer.M.AsSpan(t.Offset, t.Length).ToArray()));
            tensors.Add(NamedTensor.F32("adam.v." + t.Name, t.Shape, trainer.Optimizer.V.AsSpan(t.Offset, t.Length).ToArray()));
        }
        var metadata = new Dictionary<string, string>
        {
            ["step"] = trainer.Step.ToString(CultureInfo.InvariantCulture),
            ["adam_step"] = trainer.Optimizer.Step.ToString(CultureInfo.InvariantCulture),
            ["seed"] = trainer.Options.Seed.ToString(CultureInfo.InvariantCulture),
            ["config"] = JsonSerializer.Serialize(model.Config),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temporary = path + ".tmp";
        SafeTensorsFile.Write(temporary, tensors, metadata: metadata);
        File.Move(temporary, path, overwrite: true);
    }

    public static State Load(string path)
    {
        var header = SafeTensorsFile.ReadMetadata(path);
        string Meta(string key) => header.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"{path}: training checkpoint metadata lacks '{key}'");
        var config = JsonSerializer.Deserialize<ClipTrainingConfig>(Meta("config"))
            ?? throw new InvalidDataException($"{path}: unreadable 'config' metadata");
        var model = new ClipTrainingModel(config);
        var tensors = SafeTensorsFile.Read(path);
        float[] p = new float[model.Layout.Count], m = new float[p.Length], v = new float[p.Length];
        foreach (var t in model.Layout.Tensors)
        {
            Copy(tensors, path, t.Name, t, p);
            Copy(tensors, path, "adam.m." + t.Name, t, m);
            Copy(tensors, path, "adam.v." + t.Name, t, v);
        }
        int Int(string key) => int.Parse(Meta(key), CultureInfo.InvariantCulture);
        return new State(config, Int("step"), Int("adam_step"), Int("seed"), p, m, v);
    }

    static void Copy(IReadOnlyDictionary<string, NamedTensor> tensors, string path, string name, ParameterTensor t, float[] into)
    {
        if (!tensors.TryGetValue(name, out var x)) throw new InvalidDataException($"{path}: checkpoint lacks tensor '{name}'");
        if (!x.Shape.SequenceEqual(t.Shape))
            throw new InvalidDataException($"{path}: tensor '{name}' has shape [{string.Join(",", x.Shape)}], expected [{string.Join(",", t.Shape)}]");
        x.Data.CopyTo(into, t.Offset);
    }
}
