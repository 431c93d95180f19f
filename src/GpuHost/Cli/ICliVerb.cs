using System.CommandLine;

namespace Actors.GpuHost.Cli;

/// <summary>
/// One command-line verb of the GpuHost executable (`dotnet run --project src/GpuHost -- VERB ...`).
/// Verbs are discovered by reflection, so adding one is adding a class.
/// </summary>
public interface ICliVerb
{
    Command Build();
}
