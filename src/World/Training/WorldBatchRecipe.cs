namespace Actors.World.Training;

/// <summary>
/// How <see cref="WorldClipTrainingData"/> composes batches from the world's pool; each setting below says what it
/// does and why. The defaults are plain shuffled batches of full captions with the spurious split as it is.
/// </summary>
/// <param name="GroupSize">Scenes per hard-negative group sharing colour, background, size and position (1: plain shuffled batches).</param>
/// <param name="GroupedShare">Fraction of each batch made of hard-negative groups; the rest are plain shuffled scenes.</param>
/// <param name="PartialShare">Probability that a pair's caption is redrawn as a <see cref="PartialCaptions"/> description
/// of some of its factors (the shape always, inside groups) instead of the scene's full caption.</param>
/// <param name="SpuriousInGroups">Whether spurious-split scenes (ducks and birds on water and land) may join
/// hard-negative groups. A water group that holds a duck prefers a scene of another shape, often one of the rare
/// land-class scenes on water, so groups upsample the minority groups (Sagawa et al. 2020's mitigation) and the spurious
/// reliance fades (worst-group gap 12 → 0.3 points over the shipped runs). False keeps those scenes to the plain
/// part of batches, where the model sees the 95% correlation as it is.</param>
/// <param name="SpuriousClassesElsewhere">Whether the plain part of the pool also holds ducks and birds on the
/// backgrounds other than water and land (the train split's own draws of them). Without it the two are only ever
/// seen on water and land, and a held-out duck on dots is a shape the model never met there (measured in world
/// version 1, whose pair was duck and tree: duck 0.46, tree 0.36 against ≥ 0.95 for the nine other shapes).
/// Water and land keep the 95% correlation.</param>
/// <param name="PairTogether">Whether a hard-negative group whose bucket holds both of the spurious split's
/// classes (a duck and a bird on the same colour, background, size and position — off water and land, or anywhere
/// when spurious scenes may join groups) always takes one of each. The two differ only in beak and legs; drawn like
/// any other pair of shapes, they meet in ≈ 40 % of such groups (8 of 12 shapes), and a from-scratch model still
/// told them apart at chance after 6,000 steps while the ten other shapes reached ≈ 0.94.</param>
/// <param name="TranscribedShare">Probability that the caption of a scene with a written word is replaced by a
/// <see cref="PartialCaptions.Transcription"/> of the word alone ("duck", "a photo of a duck"). Every other caption
/// marks the word as writing ("with the word duck written on it"), and a model trained on those alone keeps reading
/// apart from recognising: the 9,000-step world-clip called 0.80 % of typographic attacks by their written word
/// against 0.65 % of the same scenes without it; 1,500 further steps at 0.5 made it 93.6 % against 0.75 %, and 0.5
/// from the start (the shipped 8,000-step model) 99.8 % against 0.95 %, with world-word 0.993 already at step 3,500.</param>
public sealed record WorldBatchRecipe(
    int GroupSize = 1,
    double GroupedShare = 1,
    double PartialShare = 0,
    bool SpuriousInGroups = true,
    bool SpuriousClassesElsewhere = false,
    bool PairTogether = false,
    double TranscribedShare = 0);
