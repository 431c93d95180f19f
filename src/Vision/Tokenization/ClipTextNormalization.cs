namespace Actors.Vision.Tokenization;

/// <summary>
/// Which reference tokenizer's text clean-up to reproduce; they differ on some inputs, so it follows the layout the
/// model came from (<see cref="ClipTextNormalizations.ForDirectory"/>).
/// </summary>
public enum ClipTextNormalization
{
    /// <summary>
    /// OpenAI CLIP's simple_tokenizer and OpenCLIP's tokenizer: whitespace_clean(basic_clean(text)).lower(), where
    /// basic_clean is ftfy.fix_text, html.unescape twice, strip (<see cref="TextFixer"/>, <see cref="PythonHtml"/>,
    /// <see cref="PythonCase.Lower"/>).
    /// </summary>
    OpenAi,

    /// <summary>
    /// Hugging Face transformers' CLIPTokenizerFast, which AutoTokenizer and CLIPProcessor load by default: the
    /// tokenizer.json normalizer NFC, then \s+ → " ", then Lowercase per character (convert_slow_tokenizer.CLIPConverter).
    /// No ftfy, no HTML unescaping. The slow CLIPTokenizer is not reproduced: it runs ftfy only where ftfy happens to
    /// be installed and BERT's BasicTokenizer otherwise, so its output depends on the machine it runs on.
    /// </summary>
    HuggingFaceFast,
}

public static class ClipTextNormalizations
{
    /// <summary>
    /// The normalisation of the reference tokenizer for a model folder: OpenCLIP's (ftfy) when the folder holds
    /// open_clip_config.json, OpenCLIP or OpenAI weights (open_clip_*.safetensors/.bin, *.pt) or only OpenAI's
    /// bpe_simple_vocab_16e6.txt.gz; Hugging Face's fast tokenizer's for any other folder (vocab.json + merges.txt
    /// beside config.json / tokenizer.json).
    /// </summary>
    public static ClipTextNormalization ForDirectory(string directory)
    {
        bool Has(string pattern) => Directory.EnumerateFiles(directory, pattern).Any();
        if (Has("open_clip_config.json") || Has("open_clip_*.safetensors") || Has("open_clip_*.bin") || Has("*.pt"))
            return ClipTextNormalization.OpenAi;
        if (!Has("vocab.json") && !Has("merges.txt") && Has("*.txt.gz")) return ClipTextNormalization.OpenAi;
        return ClipTextNormalization.HuggingFaceFast;
    }
}
