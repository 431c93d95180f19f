namespace Actors.Analysis.Evaluation.Faithfulness;

/// <summary>
/// The three evaluations of seed 000 Fig. 3 / App. B.2: deletion by each sample's own relevance (local), deletion by
/// the mean relevance over a reference set, e.g. the sample's class (global), and insertion by the sample's own
/// relevance starting from all latents ablated (local).
/// </summary>
public enum FaithfulnessSetting { LocalDeletion, GlobalDeletion, LocalInsertion }
