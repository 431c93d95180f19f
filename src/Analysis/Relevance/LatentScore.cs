namespace Actors.Analysis.Relevance;

/// <summary>One active latent of an image: its activation a_j (summed over the hooked rows it is active in) and its
/// relevance R_j under one method.</summary>
public sealed record LatentScore(int Latent, double Activation, double Relevance);
