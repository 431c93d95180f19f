using Orleans;

namespace Actors.Grains.Investigations;

/// <summary>
/// A note on an item: the Markdown as written and its HTML, rendered and sanitized when it was added. A note carried
/// from an ancestor latent by a retraining keeps its author and time and says where it came from in
/// <see cref="CarriedFrom"/> (null for a note written on this item).
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.InvestigationNote")]
public sealed record InvestigationNote([property: Id(0)] string NoteId, [property: Id(1)] string AuthorId, [property: Id(2)] string AuthorName,
    [property: Id(3)] string Markdown, [property: Id(4)] string Html, [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] CarriedNote? CarriedFrom = null);

/// <summary>
/// Where a carried note came from: the note <see cref="NoteId"/> on latent <see cref="Latent"/> of SAE
/// <see cref="SaeId"/>, whose retrained successor matched this item's latent with <see cref="MatchScore"/>; the
/// retraining job that carried it, and when.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.CarriedNote")]
public sealed record CarriedNote([property: Id(0)] string SaeId, [property: Id(1)] int Latent, [property: Id(2)] double MatchScore,
    [property: Id(3)] string NoteId, [property: Id(4)] string? JobId, [property: Id(5)] DateTimeOffset CarriedAt);

/// <summary>One entry of a retraining's mapping: latent <see cref="NewLatent"/> of the new SAE descends from <see cref="OldLatent"/>.</summary>
[GenerateSerializer, Immutable, Alias("actors.LatentSuccessor")]
public sealed record LatentSuccessor([property: Id(0)] int OldLatent, [property: Id(1)] int NewLatent, [property: Id(2)] double MatchScore);

/// <summary>
/// The part of a retraining's mapping (SAE <see cref="FromSaeId"/> to its new version <see cref="ToSaeId"/>) that
/// concerns one investigation's latents, as <see cref="IInvestigationGrain.CarryNotesAsync"/> takes it.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.NoteCarry")]
public sealed record NoteCarry([property: Id(0)] string FromSaeId, [property: Id(1)] string ToSaeId, [property: Id(2)] string? JobId,
    [property: Id(3)] LatentSuccessor[] Successors);

/// <summary>One member's vote on one of a latent's labels: +1 agrees, −1 disagrees.</summary>
[GenerateSerializer, Immutable, Alias("actors.LabelVote")]
public sealed record LabelVote([property: Id(0)] string Label, [property: Id(1)] string UserId, [property: Id(2)] int Value);

/// <summary>
/// An entry of one of an investigation's lists: a latent ("{sae}/{latent}"), an image ("{corpus}/{image}") or a concept
/// ("{vocabulary}/{concept}"), with its notes and (latents) votes on labels.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.InvestigationItem")]
public sealed record InvestigationItem([property: Id(0)] string ItemId, [property: Id(1)] string Kind, [property: Id(2)] string Ref,
    [property: Id(3)] InvestigationNote[] Notes, [property: Id(4)] LabelVote[] Votes, [property: Id(5)] string AddedBy, [property: Id(6)] DateTimeOffset AddedAt)
{
    public static readonly string[] Kinds = ["latent", "image", "concept"];

    /// <summary>The reference of latent <paramref name="latent"/> of SAE <paramref name="saeId"/>.</summary>
    public static string LatentRef(string saeId, int latent) => $"{saeId}/{latent}";

    /// <summary>The SAE and latent of a latent item's "{sae}/{latent}" reference, or null when it is not one.</summary>
    public static (string SaeId, int Latent)? ParseLatentRef(string reference)
    {
        int slash = reference.LastIndexOf('/');
        return slash > 0 && int.TryParse(reference.AsSpan(slash + 1), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out int latent) ? (reference[..slash], latent) : null;
    }
}

/// <summary>
/// What a watched latent looked like when it was pinned or watched: frequency, mean activation, the ids of its top
/// reference images and its label — the baseline a later ingestion or retraining is compared against.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.LatentSnapshot")]
public sealed record LatentSnapshot([property: Id(0)] double ImageFrequency, [property: Id(1)] double MeanActivation,
    [property: Id(2)] string[] TopReferences, [property: Id(3)] string? Label, [property: Id(4)] long BatchesApplied, [property: Id(5)] DateTimeOffset At);

/// <summary>
/// Pinned evidence: an immutable snapshot of a result (an attribution, a steering result, a job's result) with what
/// produced it — SAE, corpus, parameters — so the finding can be reproduced.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.PinnedEvidence")]
public sealed record PinnedEvidence([property: Id(0)] string EvidenceId, [property: Id(1)] string Kind, [property: Id(2)] string Title,
    [property: Id(3)] string? SaeId, [property: Id(4)] string? CorpusId, [property: Id(5)] string Parameters, [property: Id(6)] string Result,
    [property: Id(7)] string? JobId, [property: Id(8)] string PinnedBy, [property: Id(9)] DateTimeOffset PinnedAt,
    [property: Id(10)] string? Latent, [property: Id(11)] LatentSnapshot? LatentAtPin);

/// <summary>A member watching a latent from a baseline.</summary>
[GenerateSerializer, Immutable, Alias("actors.LatentWatch")]
public sealed record LatentWatch([property: Id(0)] string SaeId, [property: Id(1)] int Latent, [property: Id(2)] string UserId,
    [property: Id(3)] LatentSnapshot Baseline);

[GenerateSerializer, Immutable, Alias("actors.InvestigationMember")]
public sealed record InvestigationMember([property: Id(0)] string UserId, [property: Id(1)] string Name, [property: Id(2)] InvestigationRole Role);
