using System.CommandLine;
using Actors.Cluster;
using Actors.GpuHost.Hosting;
using Microsoft.Extensions.Hosting;

namespace Actors.GpuHost.Cli;

/// <summary>
/// `silo`: runs this process as a GPU-host silo of a cluster: it joins the cluster ("Cluster" section), listens where
/// the "Silo" section says, and runs the ingestion (and analysis) work Orleans places on hosts. Settings follow as
/// --Section:Key=value, e.g. `silo --Cluster:Membership=Redis --Silo:SiloPort=11114 --Blobs:Kind=Azure`.
/// </summary>
public sealed class SiloVerb : ICliVerb
{
    public Command Build()
    {
        var command = new Command("silo", "run as a GPU-host silo of a cluster (settings as --Section:Key=value)")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parse, ct) =>
        {
            var builder = Host.CreateApplicationBuilder(ServerArgs.WithoutConfigReload([.. parse.UnmatchedTokens]));
            builder.UseOrleans(silo => silo.UseGpuHostSilo(builder.Configuration));
            await builder.Build().RunAsync(ct);
            return 0;
        });
        return command;
    }
}
