using Actors.Vision.Checkpoints.Torch;

namespace Actors.Vision.Checkpoints;

/// <summary>
/// What a torch.save file held, flattened: nested dicts and lists become dotted names
/// ({"state_dict": {"W_enc": t}} gives "state_dict.W_enc"; list items use their index).
/// </summary>
public sealed class TorchCheckpointContents
{
    public required string FilePath { get; init; }

    /// <summary>Every tensor, converted to float32 (integer and bool tensors widened), contiguous row-major.</summary>
    public required IReadOnlyDictionary<string, NamedTensor> Tensors { get; init; }

    /// <summary>Every non-tensor leaf: long, BigInteger, double, string, bool, byte[] or null.</summary>
    public required IReadOnlyDictionary<string, object?> Values { get; init; }

    /// <summary>The unpickled object tree (PickleDict, List, PickleTuple, TorchTensor, ...) for unusual layouts.</summary>
    public required object? Root { get; init; }

    /// <summary>The tensors below a dotted prefix, with the prefix removed: TensorsUnder("state_dict").</summary>
    public IReadOnlyDictionary<string, NamedTensor> TensorsUnder(string prefix)
    {
        string p = prefix.EndsWith('.') ? prefix : prefix + ".";
        return Tensors.Where(kv => kv.Key.StartsWith(p, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[p.Length..], kv => kv.Value with { Name = kv.Key[p.Length..] });
    }
}
