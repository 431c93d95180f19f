using System.Text.Json;

namespace Actors.Vision.Imaging;

/// <summary>
/// CLIP's image preprocessing (Radford et al. 2021, and transformers' CLIPImageProcessor): resize so the shortest
/// side equals <see cref="ShortestEdge"/> with Pillow-exact bicubic, centre crop to <see cref="CropHeight"/>×
/// <see cref="CropWidth"/>, scale to [0, 1], normalise per channel with (x − mean) / std, lay out as CHW float.
/// </summary>
public sealed class ClipPreprocessor
{
    /// <summary>CLIP's normalisation constants (OpenAI clip/clip.py _transform).</summary>
    public static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];

    /// <summary>Pillow's resample code for BICUBIC, the only one implemented.</summary>
    public const int PillowBicubic = 3;

    /// <summary>Target of the shortest side; null when <see cref="ResizeHeight"/>/<see cref="ResizeWidth"/> force exact dimensions.</summary>
    public int? ShortestEdge { get; }
    public int? ResizeHeight { get; }
    public int? ResizeWidth { get; }
    public int CropHeight { get; }
    public int CropWidth { get; }
    public IReadOnlyList<float> Mean { get; }
    public IReadOnlyList<float> Std { get; }
    public CenterCropRounding CropRounding { get; }
    public bool DoResize { get; }
    public bool DoCenterCrop { get; }
    public bool DoNormalize { get; }
    public float RescaleFactor { get; }

    /// <summary>Floats one image occupies in the output (3 × crop height × crop width).</summary>
    public int FloatsPerImage => 3 * CropHeight * CropWidth;

    /// <summary>Preprocessing for a CLIP of the given input size with CLIP's mean/std (crop defaults to the same size).</summary>
    public ClipPreprocessor(int imageSize, int? cropSize = null, float[]? mean = null, float[]? std = null,
        CenterCropRounding cropRounding = CenterCropRounding.Torchvision)
        : this(imageSize, null, null, cropSize ?? imageSize, cropSize ?? imageSize, mean ?? ClipMean, std ?? ClipStd,
            cropRounding, doResize: true, doCenterCrop: true, doNormalize: true, rescaleFactor: 1f / 255f)
    {
    }

    private ClipPreprocessor(int? shortestEdge, int? resizeHeight, int? resizeWidth, int cropHeight, int cropWidth,
        float[] mean, float[] std, CenterCropRounding cropRounding, bool doResize, bool doCenterCrop, bool doNormalize,
        float rescaleFactor)
    {
        if (doResize && shortestEdge is null && (resizeHeight is null || resizeWidth is null))
            throw new ArgumentException("Resizing needs a shortest edge or both height and width.");
        if (shortestEdge is <= 0 || resizeHeight is <= 0 || resizeWidth is <= 0)
            throw new ArgumentOutOfRangeException(nameof(shortestEdge), "Resize sizes must be positive.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cropHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cropWidth);
        if (mean.Length != 3 || std.Length != 3)
            throw new ArgumentException($"image_mean and image_std need 3 values (RGB); got {mean.Length} and {std.Length}.");
        if (std.Any(s => s <= 0))
            throw new ArgumentException("image_std values must be positive.");
        ShortestEdge = shortestEdge;
        ResizeHeight = resizeHeight;
        ResizeWidth = resizeWidth;
        CropHeight = cropHeight;
        CropWidth = cropWidth;
        Mean = (float[])mean.Clone();
        Std = (float[])std.Clone();
        CropRounding = cropRounding;
        DoResize = doResize;
        DoCenterCrop = doCenterCrop;
        DoNormalize = doNormalize;
        RescaleFactor = rescaleFactor;
    }

    /// <summary>
    /// Reads a Hugging Face preprocessor_config.json (size as int, {"shortest_edge"} or {"height","width"}; crop_size as
    /// int or {"height","width"}; image_mean; image_std; resample; do_resize/do_center_crop/do_normalize;
    /// rescale_factor). The centre crop defaults to <see cref="CenterCropRounding.Floor"/>, which is what transformers
    /// does with this file; pass <see cref="CenterCropRounding.Torchvision"/> to match OpenAI/OpenCLIP.
    /// </summary>
    public static ClipPreprocessor FromPreprocessorConfig(string path, CenterCropRounding cropRounding = CenterCropRounding.Floor)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Cannot read preprocessor config '{path}': {e.Message}", e);
        }
        return FromPreprocessorConfigJson(json, path, cropRounding);
    }

    public static ClipPreprocessor FromPreprocessorConfigJson(string json, string nameForErrors = "preprocessor_config.json",
        CenterCropRounding cropRounding = CenterCropRounding.Floor)
    {
        JsonElement root;
        try { root = JsonDocument.Parse(json).RootElement; }
        catch (JsonException e) { throw new InvalidDataException($"'{nameForErrors}' is not valid JSON: {e.Message}", e); }
        try
        {
            int resample = root.TryGetProperty("resample", out var r) ? r.GetInt32() : PillowBicubic;
            if (resample != PillowBicubic)
                throw new NotSupportedException($"'{nameForErrors}': resample={resample} is not supported; only {PillowBicubic} (bicubic) is implemented.");
            bool doResize = Bool(root, "do_resize", true), doCrop = Bool(root, "do_center_crop", true), doNorm = Bool(root, "do_normalize", true);
            int? shortest = null, rh = null, rw = null;
            if (root.TryGetProperty("size", out var size))
            {
                if (size.ValueKind == JsonValueKind.Number) shortest = size.GetInt32();
                else if (size.TryGetProperty("shortest_edge", out var se)) shortest = se.GetInt32();
                else if (size.TryGetProperty("height", out var h) && size.TryGetProperty("width", out var w)) { rh = h.GetInt32(); rw = w.GetInt32(); }
                else throw new InvalidDataException($"'{nameForErrors}': 'size' must be a number, {{\"shortest_edge\"}} or {{\"height\",\"width\"}}.");
            }
            else if (doResize) throw new InvalidDataException($"'{nameForErrors}': missing 'size'.");
            int ch, cw;
            if (root.TryGetProperty("crop_size", out var crop))
            {
                if (crop.ValueKind == JsonValueKind.Number) ch = cw = crop.GetInt32();
                else { ch = crop.GetProperty("height").GetInt32(); cw = crop.GetProperty("width").GetInt32(); }
            }
            else if (shortest is int s) ch = cw = s;
            else { ch = rh ?? 0; cw = rw ?? 0; }
            float[] mean = root.TryGetProperty("image_mean", out var m) ? m.EnumerateArray().Select(e => e.GetSingle()).ToArray() : ClipMean;
            float[] std = root.TryGetProperty("image_std", out var sd) ? sd.EnumerateArray().Select(e => e.GetSingle()).ToArray() : ClipStd;
            float rescale = root.TryGetProperty("rescale_factor", out var rf) ? rf.GetSingle() : 1f / 255f;
            if (Bool(root, "do_rescale", true) is false) rescale = 1f;
            return new ClipPreprocessor(shortest, rh, rw, ch, cw, mean, std, cropRounding, doResize, doCrop, doNorm, rescale);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new InvalidDataException($"'{nameForErrors}': malformed preprocessor config: {e.Message}", e);
        }
    }

    private static bool Bool(JsonElement root, string name, bool fallback) =>
        root.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;

    /// <summary>
    /// The resized size for an input of <paramref name="width"/>×<paramref name="height"/>: the short side becomes
    /// ShortestEdge and the long side int(ShortestEdge · long / short), as torchvision and transformers compute it.
    /// </summary>
    public (int Width, int Height) ResizedSize(int width, int height)
    {
        if (!DoResize) return (width, height);
        if (ShortestEdge is not int target) return (ResizeWidth!.Value, ResizeHeight!.Value);
        int shortSide = Math.Min(width, height), longSide = Math.Max(width, height);
        int newLong = (int)((double)target * longSide / shortSide);
        return width <= height ? (target, newLong) : (newLong, target);
    }

    /// <summary>Top-left corner of the centre crop of a <paramref name="width"/>×<paramref name="height"/> image.</summary>
    public (int Left, int Top) CropOffset(int width, int height) =>
        (Offset(width, CropWidth, CropRounding), Offset(height, CropHeight, CropRounding));

    internal static int Offset(int size, int crop, CenterCropRounding rounding) => rounding switch
    {
        // Python's round() is round-half-to-even, which is Math.Round's default.
        CenterCropRounding.Torchvision => (int)Math.Round((size - crop) / 2.0, MidpointRounding.ToEven),
        _ => (int)Math.Floor((size - crop) / 2.0),
    };

    /// <summary>Resize then centre-crop, still as RGB8 (useful to look at what the model sees).</summary>
    public RgbImage ResizeAndCrop(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (rw, rh) = ResizedSize(image.Width, image.Height);
        var resized = DoResize ? BicubicResampler.Resize(image, rw, rh) : image;
        if (!DoCenterCrop) return resized;
        if (CropWidth > resized.Width || CropHeight > resized.Height)
            throw new ArgumentException($"Centre crop {CropWidth}x{CropHeight} is larger than the resized image {resized.Width}x{resized.Height}.");
        var (left, top) = CropOffset(resized.Width, resized.Height);
        var cropped = new byte[CropWidth * CropHeight * 3];
        for (int y = 0; y < CropHeight; y++)
            Array.Copy(resized.Pixels, resized.Offset(left, top + y), cropped, y * CropWidth * 3, CropWidth * 3);
        return new RgbImage(CropWidth, CropHeight, cropped);
    }

    /// <summary>Preprocesses one image into <paramref name="destination"/> as CHW floats (length <see cref="FloatsPerImage"/>).</summary>
    public void Preprocess(RgbImage image, Span<float> destination)
    {
        var ready = ResizeAndCrop(image);
        int plane = ready.Width * ready.Height;
        if (destination.Length < 3 * plane)
            throw new ArgumentException($"Destination holds {destination.Length} floats; one {ready.Width}x{ready.Height} image needs {3 * plane}.", nameof(destination));
        var px = ready.Pixels;
        for (int c = 0; c < 3; c++)
        {
            float scale = RescaleFactor, mean = DoNormalize ? Mean[c] : 0f, std = DoNormalize ? Std[c] : 1f;
            var dst = destination.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++) dst[i] = (px[3 * i + c] * scale - mean) / std;
        }
    }

    /// <summary>Decodes and preprocesses a file; decode failures throw <see cref="ImageDecodeException"/>.</summary>
    public float[] Preprocess(string path)
    {
        var result = new float[FloatsPerImage];
        Preprocess(ImageCodec.Decode(path), result);
        return result;
    }

    /// <summary>
    /// Decodes and preprocesses many files in parallel. A file that cannot be decoded is reported in
    /// <see cref="PreprocessedBatch.Errors"/> and left out; it never stops the batch. Output order follows input order.
    /// </summary>
    public PreprocessedBatch PreprocessBatch(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var slots = new float[paths.Count][];
        var errors = new string?[paths.Count];
        Parallel.For(0, paths.Count, i =>
        {
            try { slots[i] = Preprocess(paths[i]); }
            catch (ImageDecodeException e) { errors[i] = e.Message; }
            catch (ArgumentException e) { errors[i] = $"Cannot preprocess '{paths[i]}': {e.Message}"; }
        });
        var good = Enumerable.Range(0, paths.Count).Where(i => slots[i] is not null).ToList();
        var pixels = new float[good.Count * FloatsPerImage];
        for (int j = 0; j < good.Count; j++) slots[good[j]].CopyTo(pixels, j * FloatsPerImage);
        var failed = Enumerable.Range(0, paths.Count).Where(i => errors[i] is not null)
            .Select(i => new ImageError(paths[i], errors[i]!)).ToList();
        return new PreprocessedBatch(pixels, CropHeight, CropWidth, good.Select(i => paths[i]).ToList(), good, failed);
    }
}
