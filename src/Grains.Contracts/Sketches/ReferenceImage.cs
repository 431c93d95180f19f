using System.Text.Json.Serialization;
using Orleans;

namespace Actors.Grains.Sketches;

/// <summary>
/// A reference-image candidate of one latent (seed 002 Sec. 3.2, Fig. 2a): the image, its image-level activation
/// (mean of the latent's activation over the image's tokens), its label if the corpus has one, and the patch
/// heatmap h_{i,j}[s] (<see cref="PatchHeatmap"/>, used as a soft segmentation mask).
/// Serialized through <see cref="ReferenceImageSurrogate"/>; immutable, so Orleans passes it by reference in a silo.
/// </summary>
[Immutable]
public sealed record ReferenceImage(ImageRef Image, double Activation, string? Label, [property: JsonIgnore] PatchHeatmap PatchHeatmap)
{
    /// <summary>A reference whose heatmap is a row-major grid of <paramref name="heatmapWidth"/> columns (quantized);
    /// also how a client reads the JSON form, which carries the heatmap as floats.</summary>
    [JsonConstructor]
    public ReferenceImage(ImageRef image, double activation, string? label, int heatmapWidth, float[] heatmap)
        : this(image, activation, label, PatchHeatmap.Quantize(heatmapWidth, heatmap)) { }

    /// <summary>Cells per row of the heatmap grid (0: none).</summary>
    public int HeatmapWidth => PatchHeatmap.Width;

    /// <summary>The heatmap's cells, row-major, as activations (a new array per call).</summary>
    public float[] Heatmap => PatchHeatmap.Values();

    // A hash of the image's identity, computed once: top-k merging checks candidates for "same image" against
    // every kept entry, and comparing ints avoids loading each entry's ImageRef and strings. It is a function of
    // Image (recomputed when a with-expression replaces it), so record equality is unaffected; not serialized.
    readonly int imageKey = ImageRef.IdentityHash(Image);

    public ImageRef Image
    {
        get;
        init { field = value; imageKey = ImageRef.IdentityHash(value); }
    } = Image;

    /// <summary>Same image as <paramref name="other"/>'s: equal identity hashes first, then the full check.</summary>
    public bool SameImageAs(ReferenceImage other) => imageKey == other.imageKey && Image.SameImage(other.Image);

    /// <summary>The identity hash of <see cref="Image"/>: equal for the same image (not only for it).</summary>
    internal int ImageKey => imageKey;

    /// <summary>
    /// Total order used by every top-k: higher activation first, then ordinal image order. Being total (for
    /// distinct images) is what makes top-k merging associative and commutative.
    /// </summary>
    public static int CompareRank(ReferenceImage a, ReferenceImage b) => CompareRank(a.Activation, a.Image, b.Activation, b.Image);

    /// <summary><see cref="CompareRank(ReferenceImage, ReferenceImage)"/> of two candidates given by activation and image.</summary>
    public static int CompareRank(double aActivation, ImageRef aImage, double bActivation, ImageRef bImage)
    {
        int c = bActivation.CompareTo(aActivation);
        return c != 0 ? c : ImageRef.CompareOrdinal(aImage, bImage);
    }
}
