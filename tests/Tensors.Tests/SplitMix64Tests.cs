namespace Actors.Tensors.Tests;

public sealed class SplitMix64Tests
{
    [Fact]
    public void SplitMix64MatchesTheReferenceSequence()
    {
        // Reference outputs of Vigna's splitmix64.c for seed 0 (computed from the published algorithm by hand-checked
        // Python: z += 0x9E37..; z = (z ^ z>>30)*0xBF58..; z = (z ^ z>>27)*0x94D0..; z ^ z>>31).
        var rng = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, rng.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, rng.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, rng.NextUInt64());
    }

    [Fact]
    public void NextIntIsInRangeAndRoughlyUniform()
    {
        var rng = new SplitMix64(42);
        var counts = new int[7];
        for (int i = 0; i < 7000; i++) counts[rng.NextInt(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }
}
