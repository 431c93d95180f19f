using System.Diagnostics;
using Actors.Vision.Imaging;

namespace Actors.Benchmarks;

/// <summary>
/// CPU per image of what ingestion does to each corpus file before the model: <see cref="ImageCodec.Decode"/> of PNG
/// and JPEG files from 64 px (the world's corpora) to 4000×3000 (a camera photo), and the thumbnail stored for a larger
/// image (<see cref="ImageCodec.Thumbnail"/> to 128 px, then <see cref="ImageCodec.EncodePng"/>). CPU time of the whole
/// process, so libvips's worker threads count too; median of five rounds. Small images are read on the calling thread,
/// large ones through libvips's tiles (ImageCodec.ReadPixels): a regression in either shows here.
/// </summary>
public sealed class ImageDecodeBenchmark : IBenchmark
{
    public string Name => "image-decode";
    public string Description => "CPU per image of ImageCodec.Decode (PNG, JPEG; 64 px to 4000x3000) and of a 128 px thumbnail";

    static readonly (int Width, int Height)[] Sizes = [(64, 64), (256, 256), (500, 375), (1024, 1024), (4000, 3000)];

    public int Run(string[] args)
    {
        var results = new List<string>();
        double png64 = 0;
        foreach (var (width, height) in Sizes)
        {
            var image = Photo(width, height);
            foreach (var (format, file) in new[] { ("png", ImageCodec.EncodePng(image)), ("jpg", ImageCodec.EncodeJpeg(image, 90)) })
            {
                double us = CpuMicroseconds(() => ImageCodec.Decode(file, $"{width}x{height}.{format}"), width * height);
                Console.WriteLine($"decode {format} {width}x{height} ({file.Length} bytes): {us:F0} µs of CPU");
                results.Add($"{format}_{width}x{height}_us={us:F0}");
                if (format == "png" && width == 64) png64 = us;
            }
            if (Math.Max(width, height) > 128)
            {
                double us = CpuMicroseconds(() => ImageCodec.EncodePng(ImageCodec.Thumbnail(image, 128)), width * height);
                Console.WriteLine($"thumbnail of {width}x{height} (128 px PNG): {us:F0} µs of CPU");
                results.Add($"thumb_{width}x{height}_us={us:F0}");
            }
        }
        Console.WriteLine($"RESULT name=image-decode value={png64:F0} unit=us/image {string.Join(' ', results)}");
        return 0;
    }

    /// <summary>Median over five rounds of the process CPU per call; each round runs about 4 million pixels' worth.</summary>
    static double CpuMicroseconds(Action work, int pixels)
    {
        int calls = Math.Max(2, 4_000_000 / pixels);
        work();
        var rounds = new double[5];
        var process = Process.GetCurrentProcess();
        for (int r = 0; r < rounds.Length; r++)
        {
            process.Refresh();
            var start = process.TotalProcessorTime;
            for (int i = 0; i < calls; i++) work();
            process.Refresh();
            rounds[r] = (process.TotalProcessorTime - start).TotalMicroseconds / calls;
        }
        Array.Sort(rounds);
        return rounds[rounds.Length / 2];
    }

    /// <summary>A smooth picture with fine noise, so the codecs have both gradients and detail to compress.</summary>
    static RgbImage Photo(int width, int height)
    {
        var rng = new Random(width * 31 + height);
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        {
            int o = (y * width + x) * 3;
            pixels[o] = (byte)(255 * x / Math.Max(1, width - 1) ^ rng.Next(16));
            pixels[o + 1] = (byte)(255 * y / Math.Max(1, height - 1) ^ rng.Next(16));
            pixels[o + 2] = (byte)((x + y) * 97 % 256);
        }
        return new RgbImage(width, height, pixels);
    }
}
