using Actors.Grains.Runtime;
using Actors.Grains.Sketches;

namespace Actors.Grains.Registry;

/// <summary>One SAE, key "{sae}": registry record and what ingestion has seen through it.</summary>
public interface ISaeGrain : IGrainWithStringKey
{
    Task RegisterAsync(SaeRecord record);
    [InlineWhenIdle]
    Task<SaeView> GetAsync();
    /// <summary>Adds one batch's totals; false when that batch was counted before.</summary>
    Task<bool> MergeTotalsAsync(string corpusId, long batchId, long durableThrough, IngestTotals totals);
    [InlineWhenIdle]
    Task<IngestTotals> GetTotalsAsync();
}
