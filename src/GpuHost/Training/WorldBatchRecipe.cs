namespace Actors.GpuHost.Training;

/// <summary>
/// How <see cref="WorldClipTrainingData"/> composes batches from the world's pool; see its constructor for what each
/// setting does and why. The defaults are plain shuffled batches of full captions with the spurious split as it is.
/// </summary>
public sealed record WorldBatchRecipe(
    int GroupSize = 1,
    double GroupedShare = 1,
    double PartialShare = 0,
    bool SpuriousInGroups = true,
    bool SpuriousClassesElsewhere = false,
    bool PairTogether = false);
