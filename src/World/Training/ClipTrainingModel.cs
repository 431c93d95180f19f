namespace Actors.World.Training;

/// <summary>
/// The whole CLIP as a training graph (llm.c style): one flat parameter buffer and one gradient buffer in the
/// <see cref="Layout"/> order, Hugging Face CLIPModel names, the two towers with saved activations, and the
/// learnable log logit scale t (logits = e^t·cos, Radford et al. 2021, Sec. 2.5).
/// </summary>
public sealed class ClipTrainingModel
{
    public ClipTrainingConfig Config { get; }
    public ParameterLayout Layout { get; } = new();
    public float[] Parameters { get; }
    public float[] Gradients { get; }
    public ParameterTensor LogitScale { get; }
    /// <summary>CLIP clips the temperature so logits are never scaled by more than 100 (Sec. 2.5).</summary>
    public static readonly float MaxLogitScale = MathF.Log(100f);

    readonly VisionTowerTraining _vision;
    readonly TextTowerTraining _text;
    float[] _img = [], _txt = [], _dImg = [], _dTxt = [];

    public ClipTrainingModel(ClipTrainingConfig config)
    {
        config.Validate();
        Config = config;
        _vision = new VisionTowerTraining(config, Layout);
        _text = new TextTowerTraining(config, Layout);
        LogitScale = Layout.Add("logit_scale", [], false);
        Parameters = new float[Layout.Count];
        Gradients = new float[Layout.Count];
    }

    public Span<float> Parameter(string name) { var t = Layout[name]; return Parameters.AsSpan(t.Offset, t.Length); }
    public Span<float> Gradient(string name) { var t = Layout[name]; return Gradients.AsSpan(t.Offset, t.Length); }

    /// <summary>
    /// OpenAI CLIP's initialisation (model.py initialize_parameters): token embeddings N(0, 0.02²), text positions
    /// N(0, 0.01²), class/vision positions/visual projection N(0, W⁻¹), attention in-proj N(0, W⁻¹), out-proj and
    /// fc2 N(0, W⁻¹·(2L)⁻¹), fc1 N(0, (2W)⁻¹), text projection N(0, W⁻¹), patch conv N(0, (3P²)⁻¹); LN gains 1,
    /// biases 0; logit scale ln(1/0.07).
    /// </summary>
    public void Initialize(int seed)
    {
        var rng = new Random(seed);
        Array.Clear(Parameters);
        foreach (var t in Layout.Tensors)
        {
            var span = Parameters.AsSpan(t.Offset, t.Length);
            string n = t.Name;
            bool text = n.StartsWith("text", StringComparison.Ordinal);
            int w = text ? Config.TextWidth : Config.VisionWidth;
            int layers = text ? Config.TextLayers : Config.VisionLayers;
            double? std =
                n.EndsWith("token_embedding.weight") ? 0.02 :
                n == "text_model.embeddings.position_embedding.weight" ? 0.01 :
                n.EndsWith("class_embedding") || n == "vision_model.embeddings.position_embedding.weight" ? Math.Pow(w, -0.5) :
                n.EndsWith("patch_embedding.weight") ? Math.Pow(Config.PatchDim, -0.5) :
                n.EndsWith("q_proj.weight") || n.EndsWith("k_proj.weight") || n.EndsWith("v_proj.weight") ? Math.Pow(w, -0.5) :
                n.EndsWith("out_proj.weight") || n.EndsWith("fc2.weight") ? Math.Pow(w, -0.5) * Math.Pow(2 * layers, -0.5) :
                n.EndsWith("fc1.weight") ? Math.Pow(2 * w, -0.5) :
                n == "visual_projection.weight" || n == "text_projection.weight" ? Math.Pow(w, -0.5) :
                null;
            if (std is double s) for (int i = 0; i < span.Length; i++) span[i] = (float)(s * Gaussian(rng));
            else if (n.Contains("layer_norm") || n.Contains("layrnorm") || n.Contains("layernorm"))
            { if (n.EndsWith(".weight")) span.Fill(1f); }
        }
        Parameter("logit_scale")[0] = Config.InitialLogitScale;
    }

    static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Image features (B,E), unnormalised, saving activations for Backward.</summary>
    public float[] EncodeImages(ReadOnlySpan<float> pixels, int batch)
    {
        var f = new float[batch * Config.EmbedDim];
        _vision.Forward(Parameters, pixels, f, batch);
        return f;
    }

    /// <summary>Text features (B,E), unnormalised, saving activations for Backward.</summary>
    public float[] EncodeTexts(ReadOnlySpan<int> ids, ReadOnlySpan<int> eot, int batch)
    {
        var f = new float[batch * Config.EmbedDim];
        _text.Forward(Parameters, ids, eot, f, batch);
        return f;
    }

    /// <summary>
    /// Forward both towers, symmetric InfoNCE, and backward: Gradients are zeroed then filled.
    /// pixels (B,3,S,S) normalised, ids (B,T), eot (B).
    /// </summary>
    public ContrastiveLoss.Result ForwardBackward(ReadOnlySpan<float> pixels, ReadOnlySpan<int> ids, ReadOnlySpan<int> eot, int batch)
    {
        int e = Config.EmbedDim;
        if (_img.Length != batch * e)
        {
            _img = new float[batch * e]; _txt = new float[batch * e]; _dImg = new float[batch * e]; _dTxt = new float[batch * e];
        }
        _vision.Forward(Parameters, pixels, _img, batch);
        _text.Forward(Parameters, ids, eot, _txt, batch);
        var result = ContrastiveLoss.ForwardBackward(_img, _txt, Parameters[LogitScale.Offset], batch, e, _dImg, _dTxt, out float dScale);
        Array.Clear(Gradients);
        Gradients[LogitScale.Offset] = dScale;
        _vision.Backward(Parameters, Gradients, _dImg, batch);
        _text.Backward(Parameters, Gradients, _dTxt, batch);
        return result;
    }

    /// <summary>Forward and loss only (no gradients), e.g. for evaluation and finite differences.</summary>
    public ContrastiveLoss.Result Loss(ReadOnlySpan<float> pixels, ReadOnlySpan<int> ids, ReadOnlySpan<int> eot, int batch)
    {
        var img = EncodeImages(pixels, batch); var txt = EncodeTexts(ids, eot, batch);
        return ContrastiveLoss.ForwardBackward(img, txt, Parameters[LogitScale.Offset], batch, Config.EmbedDim, [], [], out _);
    }

    /// <summary>Keeps t in [0, ln 100] after an optimiser step, as CLIP does.</summary>
    public void ClampLogitScale()
    {
        ref float t = ref Parameters[LogitScale.Offset];
        t = Math.Clamp(t, 0f, MaxLogitScale);
    }
}
