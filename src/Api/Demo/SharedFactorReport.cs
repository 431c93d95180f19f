using Actors.Grains.Latents;
using Actors.World;

namespace Actors.Api.Demo;

/// <summary>A latent whose top reference images share one world factor (a colour, a shape, a background, a word).</summary>
public sealed record SharedFactor(int Latent, string Factor, string Value, int Sharing, int References);

/// <summary>
/// Reads the world's ground truth for a latent's reference images and names the factor most of them share:
/// the check a newcomer does by eye, done against the generator's labels.
/// </summary>
public static class SharedFactorReport
{
    public static SharedFactor? Of(LatentView latent, IReadOnlyDictionary<string, ManifestEntry> world, int references = 8)
    {
        var entries = latent.References.Take(references)
            .Select(r => world.GetValueOrDefault(r.Image.ImageId)).OfType<ManifestEntry>().ToList();
        if (entries.Count < 3) return null;
        (string Factor, Func<ManifestEntry, string?> Of)[] factors =
        [
            ("colour", e => e.Colour), ("shape", e => e.Shape), ("background", e => e.Background), ("word", e => e.Word),
        ];
        return factors
            .SelectMany(f => entries.GroupBy(f.Of).Where(g => g.Key is not null)
                .Select(g => new SharedFactor(latent.Latent, f.Factor, g.Key!, g.Count(), entries.Count)))
            .MaxBy(s => s.Sharing);
    }
}
