namespace Actors.Grains.Investigations;

/// <summary>
/// What <see cref="IInvestigationGrain.CarryNotesAsync"/> does to an investigation's items: every listed latent of the
/// parent SAE with a successor gets the successor listed (unless it is) and copies of its notes, each keeping its
/// author, time and text and marked with where it came from. A note already carried from the same ancestor is not
/// copied again, so applying the same mapping twice changes nothing the second time.
/// </summary>
internal static class NoteCarrying
{
    /// <summary>Changes <paramref name="items"/> in place; returns how many items and notes it added (0: nothing to do).</summary>
    public static int Apply(List<InvestigationItem> items, NoteCarry carry, string itemIdPrefix, DateTimeOffset now)
    {
        var successors = carry.Successors.ToLookup(s => s.OldLatent);
        int changes = 0;
        foreach (var old in items.ToArray())   // the items added below are the new SAE's: never visited as ancestors
        {
            if (old.Kind != "latent" || InvestigationItem.ParseLatentRef(old.Ref) is not { } from || from.SaeId != carry.FromSaeId) continue;
            foreach (var successor in successors[from.Latent])
            {
                string reference = InvestigationItem.LatentRef(carry.ToSaeId, successor.NewLatent);
                int at = items.FindIndex(i => i.Kind == "latent" && i.Ref == reference);
                if (at < 0)
                {
                    string listedBy = carry.JobId is { } job ? $"retraining {job}" : $"retraining of {carry.FromSaeId}";
                    items.Add(new InvestigationItem(itemIdPrefix + items.Count, "latent", reference, [], [], listedBy, now));
                    at = items.Count - 1;
                    changes++;
                }
                var target = items[at];
                var copies = old.Notes
                    .Where(n => !target.Notes.Any(t => t.CarriedFrom is { } c && c.SaeId == carry.FromSaeId && c.Latent == from.Latent && c.NoteId == n.NoteId))
                    .Select(n => n with
                    {
                        NoteId = $"{n.NoteId}@{reference}",
                        CarriedFrom = new CarriedNote(carry.FromSaeId, from.Latent, successor.MatchScore, n.NoteId, carry.JobId, now),
                    }).ToArray();
                if (copies.Length == 0) continue;
                items[at] = target with { Notes = [.. target.Notes, .. copies] };
                changes += copies.Length;
            }
        }
        return changes;
    }
}
