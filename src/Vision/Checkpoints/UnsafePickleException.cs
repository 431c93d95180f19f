namespace Actors.Vision.Checkpoints;

/// <summary>
/// A pickle names a Python global outside the small set a tensor state dict needs (tensor rebuild functions,
/// storage types, dtypes, OrderedDict). torch.load would import and call it, which is how malicious checkpoints
/// run code; we refuse instead and name it.
/// </summary>
public sealed class UnsafePickleException : Exception
{
    public string FilePath { get; }

    /// <summary>The refused global as "module.name", e.g. "os.system".</summary>
    public string Global { get; }

    public UnsafePickleException(string filePath, string global)
        : base($"{filePath}: refusing to load: the pickle references the Python global '{global}', which is not a " +
               "tensor, storage, dtype or plain container. Only tensor state dicts are read; the file may run code " +
               "if opened with torch.load(weights_only=False).")
    {
        FilePath = filePath;
        Global = global;
    }
}
