using Actors.Tensors.Kernels;

namespace Actors.Tensors.Tests.Kernels;

public class AttentionForwardTests
{
    public static TheoryData<int, int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, int, bool>();
        int[][] shapes = [[1, 1, 1, 1], [1, 3, 6, 2], [2, 7, 12, 3], [3, 17, 32, 4], [2, 50, 96, 2], [1, 65, 64, 1], [4, 33, 48, 12]];
        foreach (var s in shapes)
            foreach (bool causal in new[] { false, true })
                data.Add(s[0], s[1], s[2], s[3], causal);
        return data;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void ForwardMatchesExplicitLoops(int b, int t, int c, int heads, bool causal)
    {
        var qkv = KernelAssert.Random(b * 1000 + t, b * t * 3 * c, 2f);
        var (o, p) = (new float[b * t * c], new float[b * heads * t * t]);
        var (oN, pN) = (new float[b * t * c], new float[b * heads * t * t]);
        Attention.Forward(qkv, o, p, b, t, c, heads, causal);
        Attention.ForwardNaive(qkv, oN, pN, b, t, c, heads, causal);
        KernelAssert.Close("probs", pN, p, rtol: 1e-4f, atol: 1e-6f);
        KernelAssert.Close("output", oN, o, rtol: 1e-4f, atol: 1e-5f);
    }

    [Fact]
    public void ForwardWithoutProbsGivesTheSameOutput()
    {
        int b = 3, t = 9, c = 24, heads = 4;
        var qkv = KernelAssert.Random(5, b * t * 3 * c);
        var (kept, dropped) = (new float[b * t * c], new float[b * t * c]);
        Attention.Forward(qkv, kept, new float[b * heads * t * t], b, t, c, heads, causal: true);
        Attention.Forward(qkv, dropped, [], b, t, c, heads, causal: true);
        Assert.Equal(kept, dropped);
    }

    [Fact]
    public void CausalFirstTokenAttendsOnlyToItself()
    {
        int t = 5, c = 4;
        var qkv = KernelAssert.Random(9, t * 3 * c);
        var (o, p) = (new float[t * c], new float[t * t]);
        Attention.Forward(qkv, o, p, 1, t, c, 1, causal: true);
        Assert.Equal(1f, p[0], 6);
        for (int e = 0; e < c; e++) Assert.Equal(qkv[2 * c + e], o[e], 6);
    }

    [Fact]
    public void ForwardRejectsWidthNotDivisibleByHeads()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Attention.Forward(new float[30], new float[10], [], 1, 2, 5, 2, false));
        Assert.Contains("not divisible", ex.Message);
    }
}
