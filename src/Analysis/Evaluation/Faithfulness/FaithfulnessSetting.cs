namespace Actors.Analysis.Evaluation.Faithfulness;

/// <summary>
/// The evaluations of seed 000 Fig. 3 / App. B.2: deletion by each sample's own relevance (local), deletion by the
/// mean relevance over the sample's class (global), insertion by the sample's own relevance starting from all latents
/// ablated (local), and (App. B.2 "Deletion (random)", Fig. 8) deletion by the mean relevance for the sample's class
/// prompt over reference images drawn at random instead of the class's own samples.
/// </summary>
public enum FaithfulnessSetting { LocalDeletion, GlobalDeletion, LocalInsertion, RandomDeletion }
