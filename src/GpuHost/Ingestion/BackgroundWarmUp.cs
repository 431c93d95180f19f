using Microsoft.Extensions.Logging;

namespace Actors.GpuHost.Ingestion;

/// <summary>
/// Runs a warm-up (calls made only so that their code is compiled; see src/ServerProcess.props) on a thread-pool thread.
/// A failure is only logged at Debug and is the task's result (null when it ran): the real work that follows meets
/// the same error and reports it.
/// </summary>
static class BackgroundWarmUp
{
    public static Task<Exception?> Start(string what, ILogger logger, Action warmUp) => Task.Run(() =>
    {
        try
        {
            warmUp();
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug(e, "{WarmUp} failed", what);
            return (Exception?)e;
        }
    });
}
