using Orleans;

namespace Actors.Grains.Investigations;

/// <summary>A member's role: viewers read, editors also change lists, notes, votes and evidence, owners also manage members.</summary>
[GenerateSerializer, Alias("actors.InvestigationRole")]
public enum InvestigationRole { Viewer = 0, Editor = 1, Owner = 2 }
