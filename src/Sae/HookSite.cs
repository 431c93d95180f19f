namespace Actors.Sae;

/// <summary>What part of CLIP's vision tower an SAE's rows are cut from.</summary>
public enum HookSite
{
    /// <summary>The residual stream after block <see cref="SaeHookSpec.Layer"/> (SAELens "blocks.L.hook_resid_post"), the
    /// tokens <see cref="SaeHookSpec.Tokens"/> selects. Seed 000's SAEs sit here: class token after the last block,
    /// before LN_post (maxdreyer/attributing-clip layer_idx −1, token "cls"; seed 000 App. B.1 applies LN_post and the
    /// projection to the decoder rows, Eq. 16-20).</summary>
    ResidualPost,
    /// <summary>The image embedding: class token after the last block, LN_post, projection — CLIP's image features,
    /// <em>not</em> L2-normalised (<see cref="Actors.Vision.Clip.ClipVisionModel.Encode(ReadOnlySpan{float}, int, Actors.Vision.Clip.ResidualHook?)"/>,
    /// Hugging Face get_image_features). One row of width projection_dim per image. Hook name "image_embeds".</summary>
    ImageEmbedding,
}
