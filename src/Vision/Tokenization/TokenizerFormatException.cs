namespace Actors.Vision.Tokenization;

/// <summary>A tokenizer file (vocab.json, merges.txt, bpe_simple_vocab_16e6.txt.gz) is malformed; names the file
/// and, where known, the line.</summary>
public sealed class TokenizerFormatException(string filePath, string problem, Exception? inner = null)
    : Exception($"{filePath}: {problem}", inner)
{
    public string FilePath { get; } = filePath;
}
