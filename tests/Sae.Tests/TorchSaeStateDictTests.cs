using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.Vision.Checkpoints;
using static Actors.Sae.Tests.SaeTestBuilders;

namespace Actors.Sae.Tests;

public class TorchSaeStateDictTests
{
    [Fact]
    public void VitPrismaAndPatchSaeKeysUnderAStateDictPrefixMapToTheSae()
    {
        var sae = RandomSae(Config(SaeArchitecture.Standard, 6, 20), 2);
        var tensors = new Dictionary<string, NamedTensor>
        {
            ["state_dict.W_enc"] = NamedTensor.F32("state_dict.W_enc", [6, 20], SaeLensFolder.Transpose(sae.EncoderWeights, 20, 6)),
            ["state_dict.b_enc"] = NamedTensor.F32("state_dict.b_enc", [20], sae.EncoderBias),
            ["state_dict.W_dec"] = NamedTensor.F32("state_dict.W_dec", [20, 6], sae.DecoderWeights),
            ["state_dict.b_dec"] = NamedTensor.F32("state_dict.b_dec", [6], sae.DecoderBias),
        };
        foreach (var project in new[] { SaeReleaseProject.VitPrisma, SaeReleaseProject.PatchSae })
        {
            var back = TorchSaeStateDict.FromTensors(tensors, project, "x.pt");
            Assert.IsType<StandardSae>(back);
            var x = RandomRows(4, 6, 1);
            Assert.Equal(sae.Reconstruct(x, 4), back.Reconstruct(x, 4));
        }
        Assert.IsType<TopKSae>(TorchSaeStateDict.FromTensors(tensors, SaeReleaseProject.VitPrisma, "x.pt", k: 3));
        tensors.Remove("state_dict.b_dec");
        var ex = Assert.Throws<SaeFormatException>(() => TorchSaeStateDict.FromTensors(tensors, SaeReleaseProject.PatchSae, "x.pt"));
        Assert.Contains("'b_dec'", ex.Message);
    }

    [Fact]
    public void AttributingClipWeightNormIsResolvedPerLatent()
    {
        int dIn = 5, dSae = 7;
        var encV = RandomRows(dSae, dIn, 1); var decV = RandomRows(dIn, dSae, 2);
        var encG = RandomRows(dSae, 1, 3); var decG = Enumerable.Repeat(1f, dSae).ToArray(); var encB = RandomRows(dSae, 1, 4);
        var t = new Dictionary<string, NamedTensor>
        {
            ["encoder.0.weight_v"] = NamedTensor.F32("encoder.0.weight_v", [dSae, dIn], encV),
            ["encoder.0.weight_g"] = NamedTensor.F32("encoder.0.weight_g", [dSae, 1], encG),
            ["encoder.0.bias"] = NamedTensor.F32("encoder.0.bias", [dSae], encB),
            ["decoder.weight_v"] = NamedTensor.F32("decoder.weight_v", [dIn, dSae], decV),
            ["decoder.weight_g"] = NamedTensor.F32("decoder.weight_g", [1, dSae], decG),
        };
        var sae = TorchSaeStateDict.FromTensors(t, SaeReleaseProject.AttributingClip, "a.ckpt", k: 2);
        Assert.False(sae.Config.ApplyBDecToInput);
        for (int j = 0; j < dSae; j++)
        {
            double ne = Math.Sqrt(Enumerable.Range(0, dIn).Sum(i => (double)encV[j * dIn + i] * encV[j * dIn + i]));
            double nd = Math.Sqrt(Enumerable.Range(0, dIn).Sum(i => (double)decV[i * dSae + j] * decV[i * dSae + j]));
            for (int i = 0; i < dIn; i++)
            {
                Assert.Equal(encG[j] * encV[j * dIn + i] / ne, sae.EncoderWeights[j * dIn + i], 5);
                Assert.Equal(decV[i * dSae + j] / nd, sae.DecoderWeights[j * dIn + i], 5);
            }
        }
        t["decoder.weight_g"] = NamedTensor.F32("decoder.weight_g", [dSae], decG);
        var ex = Assert.Throws<SaeFormatException>(() => TorchSaeStateDict.FromTensors(t, SaeReleaseProject.AttributingClip, "a.ckpt"));
        Assert.Contains("'decoder.weight_g' has shape [7], expected [1, 7]", ex.Message);
    }
}
