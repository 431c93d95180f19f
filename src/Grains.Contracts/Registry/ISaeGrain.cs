using Orleans;
using Actors.Grains.Sketches;

namespace Actors.Grains.Registry;

/// <summary>One SAE, key "{sae}": registry record and what ingestion has seen through it.</summary>
[Alias("actors.ISaeGrain")]
public interface ISaeGrain : IGrainWithStringKey
{
    Task RegisterAsync(SaeRecord record);
    Task<SaeView> GetAsync();
    /// <summary>Adds one batch's totals; false when that batch was counted before.</summary>
    Task<bool> MergeTotalsAsync(string corpusId, long batchId, long durableThrough, IngestTotals totals);
    Task<IngestTotals> GetTotalsAsync();
}
