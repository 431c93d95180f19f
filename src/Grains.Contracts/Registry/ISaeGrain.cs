using Orleans;
using Actors.Grains.Sketches;

namespace Actors.Grains.Registry;

/// <summary>One SAE, key "{sae}": registry record and what ingestion has seen through it.</summary>
[Alias("actors.ISaeGrain")]
public interface ISaeGrain : IGrainWithStringKey
{
    Task RegisterAsync(SaeRecord record);
    Task<SaeView> GetAsync();
    /// <summary>Adds the totals of batches batchId .. + batchCount − 1; false when those batches were counted before.</summary>
    Task<bool> MergeTotalsAsync(string corpusId, long batchId, int batchCount, long durableThrough, IngestTotals totals);
    Task<IngestTotals> GetTotalsAsync();
    /// <summary>Stores the layer's latest steerability report (seed 001 Eq. 6-8), shown in the SAE's view.</summary>
    Task SetSteerabilityAsync(Actors.Grains.Steering.SteerabilityReport report);
    /// <summary>Records that this SAE is a retrained version of another (see <see cref="SaeLineage"/>).</summary>
    Task SetLineageAsync(SaeLineage lineage);
}
