namespace Actors.World.Training;

/// <summary>
/// The training loop: batch for the current step → forward/backward → clip the global gradient norm → AdamW with
/// the warm-up + cosine rate → clamp the logit scale. State that a resume needs is the parameters, both Adam
/// moments and the step (the data is a function of the step, so that is the RNG position).
/// </summary>
public sealed class ClipTrainer
{
    public ClipTrainingModel Model { get; }
    public AdamW Optimizer { get; }
    public ClipTrainingOptions Options { get; }
    /// <summary>Steps completed; the next batch is data.FillBatch(Step, ...).</summary>
    public int Step { get; private set; }

    readonly IClipTrainingData _data;
    readonly float[] _pixels;
    readonly int[] _ids, _eot;

    public ClipTrainer(ClipTrainingModel model, IClipTrainingData data, ClipTrainingOptions options)
    {
        if (options.Batch < 2) throw new ArgumentException($"contrastive training needs a batch of at least 2, found {options.Batch}");
        Model = model; _data = data; Options = options;
        Optimizer = new AdamW(model.Layout.Count) { WeightDecay = options.WeightDecay };
        var c = model.Config;
        _pixels = new float[options.Batch * 3 * c.ImageSize * c.ImageSize];
        _ids = new int[options.Batch * c.ContextLength];
        _eot = new int[options.Batch];
    }

    public StepReport TrainStep()
    {
        int b = Options.Batch;
        _data.FillBatch(Step, b, _pixels, _ids, _eot);
        var r = Model.ForwardBackward(_pixels, _ids, _eot, b);
        float norm = GradientClipping.ClipGlobalNorm(Model.Gradients, Options.MaxGradientNorm);
        float lr = Options.Schedule.At(Step);
        Optimizer.Update(Model.Parameters, Model.Gradients, Model.Layout.Tensors, lr);
        Model.ClampLogitScale();
        Step++;
        return new StepReport(Step, r.Loss, r.Accuracy, norm, lr, Model.Parameters[Model.LogitScale.Offset]);
    }

    /// <summary>Runs until Options.Steps, saving a checkpoint every CheckpointEvery steps and at the end.</summary>
    public void Run(string? checkpointPath, Action<StepReport>? onStep = null)
    {
        while (Step < Options.Steps)
        {
            var report = TrainStep();
            onStep?.Invoke(report);
            if (checkpointPath is not null && (Step % Options.CheckpointEvery == 0 || Step == Options.Steps))
                TrainingCheckpoint.Save(checkpointPath, this);
        }
    }

    /// <summary>Restores parameters, moments and step from a checkpoint written by <see cref="TrainingCheckpoint.Save"/>.</summary>
    public void Restore(TrainingCheckpoint.State state)
    {
        if (state.Parameters.Length != Model.Parameters.Length)
            throw new ArgumentException($"checkpoint holds {state.Parameters.Length} parameters, the model has {Model.Parameters.Length}");
        state.Parameters.CopyTo(Model.Parameters, 0);
        state.M.CopyTo(Optimizer.M, 0);
        state.V.CopyTo(Optimizer.V, 0);
        Optimizer.Step = state.AdamStep;
        Step = state.Step;
    }
}
