namespace Actors.Api.Contracts;

/// <summary>
/// Register a CLIP model found at <paramref name="Path"/> (a Hugging Face folder or an OpenCLIP weights file).
/// <paramref name="Activation"/> states its MLP activation ("quick_gelu", "gelu", "gelu_pytorch_tanh", "relu"; no
/// weight shape tells them apart) when the folder says nothing or says it wrongly, e.g. a bare state dict of an
/// OpenCLIP training, which uses gelu; null: what the folder says.
/// </summary>
public sealed record RegisterModelRequest(string Id, string Path, string? Activation = null);

/// <summary>
/// Register an SAE (SAELens folder, or a PyTorch .pt of a <paramref name="Release"/>: "vit-prisma", "patchsae",
/// "attributing-clip", with its <paramref name="K"/> for top-k) on a registered model. <paramref name="Hook"/>
/// ("image_embeds" for CLIP's image embedding, or a residual hook's name such as "blocks.10.hook_resid_post"),
/// <paramref name="Layer"/> and <paramref name="Tokens"/> ("all", "cls", "patches") override the hook the SAE's own
/// config names; the image embedding is layer −1, tokens "cls".
/// </summary>
public sealed record RegisterSaeRequest(string Id, string ModelId, string Path, int? Layer = null, string? Tokens = null,
    string? Release = null, int? K = null, string? Hook = null);

/// <summary>Register a corpus: <paramref name="Kind"/> "folder" (class per sub-folder optional) or "manifest" (JSON Lines or CSV).</summary>
public sealed record RegisterCorpusRequest(string Id, string Kind, string Path);

/// <summary>Start (or resume) ingesting a corpus through an SAE.</summary>
/// <summary>Start ingesting through SAE <paramref name="SaeId"/>; class-level activations go to the concepts of
/// <paramref name="VocabularyId"/> (a registered vocabulary naming the corpus's classes), if given.</summary>
public sealed record StartIngestionRequest(string SaeId, string? VocabularyId = null);
