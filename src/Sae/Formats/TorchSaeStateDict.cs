using Actors.Sae.Architectures;
using Actors.Vision.Checkpoints;

namespace Actors.Sae.Formats;

/// <summary>Projects whose PyTorch .pt SAE releases we read.</summary>
public enum SaeReleaseProject
{
    /// <summary>soniajoseph/ViT-Prisma (vit_prisma/sae/sae.py): {"cfg", "state_dict": {W_enc [d_in,d_sae], b_enc, W_dec [d_sae,d_in], b_dec}};
    /// legacy SAELens-2 files nest it as autoencoder.state_dict. Forward subtracts b_dec first.</summary>
    VitPrisma,
    /// <summary>PatchSAE (src/sae_training/sparse_autoencoder.py): same names and layout as ViT-Prisma, ReLU SAE.</summary>
    PatchSae,
    /// <summary>maxdreyer/attributing-clip (model_training/sae.py TopKSAE): weight-normed nn.Linear layers —
    /// encoder.0.weight_g [d_sae,1], encoder.0.weight_v [d_sae,d_in], encoder.0.bias [d_sae], decoder.weight_g [1,d_sae],
    /// decoder.weight_v [d_in,d_sae] (norm over dim 1, i.e. per latent), no decoder bias, no pre-centering.</summary>
    AttributingClip,
}

/// <summary>Maps the tensors of a torch.save state dict (as read by <see cref="TorchCheckpoint"/>; keys may carry a
/// prefix such as "state_dict.") to an SAE. Configs inside those files are pickled Python objects, so the architecture
/// details (k) come from the caller.</summary>
public static class TorchSaeStateDict
{
    public static SparseAutoencoder Read(string path, SaeReleaseProject project, int? k = null, SaeHookSpec? hook = null) =>
        FromTensors(TorchCheckpoint.Read(path).Tensors, project, path, k, hook);

    public static SparseAutoencoder FromTensors(IReadOnlyDictionary<string, NamedTensor> tensors, SaeReleaseProject project,
        string source, int? k = null, SaeHookSpec? hook = null)
    {
        NamedTensor? Find(string name) =>
            tensors.TryGetValue(name, out var t) ? t : tensors.Where(p => p.Key.EndsWith("." + name, StringComparison.Ordinal)).Select(p => p.Value).FirstOrDefault();
        NamedTensor Require(string name) => Find(name) ?? throw new SaeFormatException(
            $"{source}: missing tensor '{name}' expected in a {project} SAE state dict (found: {string.Join(", ", tensors.Keys.Take(12))})");

        if (project == SaeReleaseProject.AttributingClip) return FromWeightNorm(Require, source, k ?? 64, hook);

        var wEnc = Require("W_enc");
        if (wEnc.Shape.Length != 2) throw new SaeFormatException($"{source}: tensor 'W_enc' has shape {wEnc.ShapeText}, expected [d_in, d_sae]");
        int dIn = wEnc.Shape[0], dSae = wEnc.Shape[1];
        SaeConfig config = k is { } kk ? new TopKSaeConfig(dIn, dSae, kk) : new StandardSaeConfig(dIn, dSae);
        config = config with { Hook = hook, Metadata = new Dictionary<string, string> { ["source_project"] = project.ToString() } };
        return SaeLensFolder.FromStateDict(config, Find, source, "W_enc", "b_enc", "W_dec", "b_dec", null);
    }

    // w = g · v / ‖v‖ (torch.nn.utils.weight_norm), norm over all dims except `dim`.
    static SparseAutoencoder FromWeightNorm(Func<string, NamedTensor> require, string source, int k, SaeHookSpec? hook)
    {
        var encV = require("encoder.0.weight_v"); var encG = require("encoder.0.weight_g"); var encB = require("encoder.0.bias");
        var decV = require("decoder.weight_v"); var decG = require("decoder.weight_g");
        if (encV.Shape.Length != 2) throw new SaeFormatException($"{source}: 'encoder.0.weight_v' has shape {encV.ShapeText}, expected [d_sae, d_in]");
        int dSae = encV.Shape[0], dIn = encV.Shape[1];
        void Shape(NamedTensor t, params int[] s)
        {
            if (!t.Shape.SequenceEqual(s)) throw new SaeFormatException($"{source}: tensor '{t.Name}' has shape {t.ShapeText}, expected [{string.Join(", ", s)}]");
        }
        Shape(encG, dSae, 1); Shape(encB, dSae); Shape(decV, dIn, dSae); Shape(decG, 1, dSae);
        var enc = new float[(long)dSae * dIn]; var dec = new float[(long)dSae * dIn];
        for (int j = 0; j < dSae; j++)
        {
            double ne = 0, nd = 0;
            for (int i = 0; i < dIn; i++) { ne += (double)encV.Data[j * dIn + i] * encV.Data[j * dIn + i]; nd += (double)decV.Data[i * dSae + j] * decV.Data[i * dSae + j]; }
            float se = (float)(encG.Data[j] / Math.Sqrt(ne)), sd = (float)(decG.Data[j] / Math.Sqrt(nd));
            for (int i = 0; i < dIn; i++) { enc[j * dIn + i] = encV.Data[j * dIn + i] * se; dec[j * dIn + i] = decV.Data[i * dSae + j] * sd; }
        }
        var config = new TopKSaeConfig(dIn, dSae, k)
        {
            ApplyBDecToInput = false, Hook = hook,
            Metadata = new Dictionary<string, string> { ["source_project"] = nameof(SaeReleaseProject.AttributingClip) },
        };
        return new TopKSae(config, enc, (float[])encB.Data.Clone(), dec, new float[dIn]);
    }
}
