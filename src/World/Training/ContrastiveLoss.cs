using Actors.Tensors.Kernels;

namespace Actors.World.Training;

/// <summary>
/// CLIP's symmetric InfoNCE loss (Radford et al. 2021, Fig. 3 pseudo-code): features are L2-normalised,
/// logits = exp(t)·img·txtᵀ over the batch, cross-entropy against the diagonal along rows (image→text) and
/// along columns (text→image), averaged. Backward gives d(image features), d(text features) before
/// normalisation, and d t for the learnable log logit scale.
/// </summary>
public static class ContrastiveLoss
{
    public readonly record struct Result(float Loss, float ImageToTextAccuracy, float TextToImageAccuracy)
    {
        /// <summary>In-batch accuracy: mean of both directions.</summary>
        public float Accuracy => 0.5f * (ImageToTextAccuracy + TextToImageAccuracy);
    }

    /// <summary>
    /// img (B,E), txt (B,E): unnormalised features. Writes dImg, dTxt (B,E) (=), returns the loss and
    /// accuracies and, through dLogScale, d loss / d t. Any of the gradient spans may be empty to skip backward.
    /// </summary>
    public static Result ForwardBackward(ReadOnlySpan<float> img, ReadOnlySpan<float> txt, float logScale,
        int batch, int dim, Span<float> dImg, Span<float> dTxt, out float dLogScale)
    {
        int need = batch * dim;
        if (img.Length != need || txt.Length != need)
            throw new ArgumentException($"ContrastiveLoss: features must be ({batch},{dim}) = {need} floats, found image {img.Length}, text {txt.Length}");
        bool backward = dImg.Length > 0;
        if (backward && (dImg.Length != need || dTxt.Length != need))
            throw new ArgumentException($"ContrastiveLoss: gradients must be {need} floats, found {dImg.Length}, {dTxt.Length}");

        var imgN = new float[need]; var txtN = new float[need];
        var imgNorm = new float[batch]; var txtNorm = new float[batch];
        L2Normalize.Forward(img, imgN, imgNorm, batch, dim);
        L2Normalize.Forward(txt, txtN, txtNorm, batch, dim);

        float scale = MathF.Exp(logScale);
        var logits = new float[batch * batch];                      // (B,B): row i = image i, column j = text j
        Blas.Sgemm(false, true, batch, batch, dim, scale, imgN, dim, txtN, dim, 0f, logits, batch);

        // P = row softmax (image→text), Q = column softmax (text→image), both in double for the loss.
        var p = new float[batch * batch]; var q = new float[batch * batch];
        double loss = 0; int rowHits = 0, colHits = 0;
        for (int i = 0; i < batch; i++)
        {
            double max = double.NegativeInfinity; int arg = 0;
            for (int j = 0; j < batch; j++) if (logits[i * batch + j] > max) { max = logits[i * batch + j]; arg = j; }
            double sum = 0;
            for (int j = 0; j < batch; j++) sum += Math.Exp(logits[i * batch + j] - max);
            for (int j = 0; j < batch; j++) p[i * batch + j] = (float)(Math.Exp(logits[i * batch + j] - max) / sum);
            loss -= logits[i * batch + i] - max - Math.Log(sum);
            if (arg == i) rowHits++;
        }
        for (int j = 0; j < batch; j++)
        {
            double max = double.NegativeInfinity; int arg = 0;
            for (int i = 0; i < batch; i++) if (logits[i * batch + j] > max) { max = logits[i * batch + j]; arg = i; }
            double sum = 0;
            for (int i = 0; i < batch; i++) sum += Math.Exp(logits[i * batch + j] - max);
            for (int i = 0; i < batch; i++) q[i * batch + j] = (float)(Math.Exp(logits[i * batch + j] - max) / sum);
            loss -= logits[j * batch + j] - max - Math.Log(sum);
            if (arg == j) colHits++;
        }
        loss /= 2.0 * batch;
        var result = new Result((float)loss, rowHits / (float)batch, colHits / (float)batch);
        dLogScale = 0;
        if (!backward) return result;

        // d loss / d logits_ij = ((P_ij − δij) + (Q_ij − δij)) / (2B); logits = e^t·S, so dS = e^t·dlogits
        // and d t = Σ dlogits_ij · logits_ij.
        var dS = new float[batch * batch];
        double dt = 0;
        for (int i = 0; i < batch; i++)
            for (int j = 0; j < batch; j++)
            {
                int ij = i * batch + j;
                double g = (p[ij] + q[ij] - (i == j ? 2.0 : 0.0)) / (2.0 * batch);
                dt += g * logits[ij];
                dS[ij] = (float)(g * scale);
            }
        dLogScale = (float)dt;
        var dImgN = new float[need]; var dTxtN = new float[need];
        Blas.Sgemm(false, false, batch, dim, batch, 1f, dS, batch, txtN, dim, 0f, dImgN, dim);   // dImgN = dS·txtN
        Blas.Sgemm(true, false, batch, dim, batch, 1f, dS, batch, imgN, dim, 0f, dTxtN, dim);    // dTxtN = dSᵀ·imgN
        L2Normalize.Backward(dImgN, imgN, imgNorm, dImg, batch, dim);
        L2Normalize.Backward(dTxtN, txtN, txtNorm, dTxt, batch, dim);
        return result;
    }
}
