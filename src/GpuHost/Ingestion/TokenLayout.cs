namespace Actors.GpuHost.Ingestion;

/// <summary>
/// How an image's tokens are laid out at the SAE's hook: <see cref="TokensPerImage"/> tokens, the first one the
/// class token when <see cref="HasClassToken"/>, the rest patches in row-major order on a square grid of
/// <see cref="GridWidth"/> columns (the patch heatmap). A CLS-only hook has one token and an empty heatmap.
/// </summary>
public sealed record TokenLayout(int TokensPerImage, bool HasClassToken)
{
    public int PatchTokens => TokensPerImage - (HasClassToken ? 1 : 0);
    public int GridWidth { get; } = Validate(TokensPerImage, HasClassToken);

    static int Validate(int tokens, bool cls)
    {
        if (tokens <= 0) throw new ArgumentOutOfRangeException(nameof(TokensPerImage), tokens, "an image needs at least one token");
        int patches = tokens - (cls ? 1 : 0);
        int w = (int)Math.Round(Math.Sqrt(patches));
        if (w * w != patches)
            throw new ArgumentException($"{patches} patch tokens (of {tokens}, class token: {cls}) do not form a square grid");
        return w;
    }

    /// <summary>Heatmap cell of a token within its image, or −1 for the class token.</summary>
    public int CellOf(int tokenInImage) => HasClassToken ? tokenInImage - 1 : tokenInImage;
}
