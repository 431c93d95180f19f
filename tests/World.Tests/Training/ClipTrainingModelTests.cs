using Actors.World.Training;

namespace Actors.World.Tests.Training;

public class ClipTrainingModelTests
{
    const int Batch = 3;

    static (ClipTrainingModel Model, float[] Pixels, int[] Ids, int[] Eot) TinySetup(int seed)
    {
        var cfg = ClipTrainingConfig.Tiny();
        var model = new ClipTrainingModel(cfg);
        model.Initialize(seed);
        var rng = new Random(seed + 1);
        // Perturb gains and biases away from 1/0 so their gradients are exercised in general position.
        foreach (var t in model.Layout.Tensors)
            if (t.Name.Contains("norm") || t.Name.EndsWith(".bias"))
                for (int i = t.Offset; i < t.Offset + t.Length; i++) model.Parameters[i] += (float)(rng.NextDouble() * 0.4 - 0.2);
        var pixels = Enumerable.Range(0, Batch * 3 * cfg.ImageSize * cfg.ImageSize).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var ids = Enumerable.Range(0, Batch * cfg.ContextLength).Select(_ => rng.Next(cfg.VocabSize)).ToArray();
        int[] eot = [cfg.ContextLength - 1, 3, 5];
        return (model, pixels, ids, eot);
    }

    static ClipReference Reference(ClipTrainingModel m) =>
        new(m.Config, name => { var t = m.Layout[name]; return (t.Offset, t.Length); });

    [Fact]
    public void ForwardMatchesThePlainDoublePrecisionReference()
    {
        var (model, pixels, ids, eot) = TinySetup(11);
        var reference = Reference(model);
        var p = model.Parameters.Select(v => (double)v).ToArray();
        var img = model.EncodeImages(pixels, Batch); var txt = model.EncodeTexts(ids, eot, Batch);
        var rImg = reference.Images(p, pixels, Batch); var rTxt = reference.Texts(p, ids, eot, Batch);
        double di = img.Select((v, i) => Math.Abs(v - rImg[i])).Max(), dt = txt.Select((v, i) => Math.Abs(v - rTxt[i])).Max();
        Assert.True(di < 1e-4 && dt < 1e-4, $"max |diff| image features {di}, text features {dt}");
        Assert.Equal(reference.Loss(p, pixels, ids, eot, Batch), model.Loss(pixels, ids, eot, Batch).Loss, 1e-4);
    }

    [Fact]
    public void EveryParameterTensorsGradientMatchesCentralFiniteDifferencesInDouble()
    {
        var (model, pixels, ids, eot) = TinySetup(5);
        model.ForwardBackward(pixels, ids, eot, Batch);
        var reference = Reference(model);
        var p = model.Parameters.Select(v => (double)v).ToArray();
        var rng = new Random(9);
        const double h = 1e-5;
        var report = new List<string>();
        int checkedTensors = 0;
        foreach (var t in model.Layout.Tensors)
        {
            // the token table: sample used rows (unused rows must be exactly zero, checked below)
            var candidates = t.Name.EndsWith("token_embedding.weight")
                ? ids.Distinct().SelectMany(id => Enumerable.Range(id * model.Config.TextWidth, model.Config.TextWidth)).ToArray()
                : Enumerable.Range(0, t.Length).ToArray();
            double worst = 0, scale = 1e-3;
            foreach (int k in candidates.OrderBy(_ => rng.Next()).Take(4))
            {
                int i = t.Offset + k;
                double saved = p[i];
                p[i] = saved + h; double up = reference.Loss(p, pixels, ids, eot, Batch);
                p[i] = saved - h; double down = reference.Loss(p, pixels, ids, eot, Batch);
                p[i] = saved;
                double fd = (up - down) / (2 * h);
                worst = Math.Max(worst, Math.Abs(fd - model.Gradients[i]));
                scale = Math.Max(scale, Math.Abs(fd));
            }
            report.Add($"{t.Name}: max |analytic − fd| = {worst:E2} (|fd| up to {scale:E2})");
            Assert.True(worst <= 2e-3 * scale + 2e-5, string.Join("\n", report));
            checkedTensors++;
        }
        Assert.Equal(model.Layout.Tensors.Count, checkedTensors);
        var table = model.Layout["text_model.embeddings.token_embedding.weight"];
        for (int id = 0; id < model.Config.VocabSize; id++)
            if (!ids.Contains(id))
                for (int c = 0; c < model.Config.TextWidth; c++)
                    Assert.Equal(0f, model.Gradients[table.Offset + id * model.Config.TextWidth + c]);
    }

    [Fact]
    public void LayoutUsesHuggingFaceNamesAndPacksQkvContiguously()
    {
        var m = new ClipTrainingModel(ClipTrainingConfig.Tiny());
        var q = m.Layout["vision_model.encoder.layers.1.self_attn.q_proj.weight"];
        var k = m.Layout["vision_model.encoder.layers.1.self_attn.k_proj.weight"];
        var v = m.Layout["vision_model.encoder.layers.1.self_attn.v_proj.weight"];
        Assert.Equal(q.Offset + q.Length, k.Offset);
        Assert.Equal(k.Offset + k.Length, v.Offset);
        Assert.Equal([16, 3, 8, 8], m.Layout["vision_model.embeddings.patch_embedding.weight"].Shape);
        Assert.Empty(m.Layout["logit_scale"].Shape);
        Assert.True(m.Layout["visual_projection.weight"].Decay);
        Assert.False(m.Layout["text_model.embeddings.token_embedding.weight"].Decay);
        Assert.False(m.Layout["logit_scale"].Decay);
    }
}
