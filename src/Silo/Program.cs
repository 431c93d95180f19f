using Actors.Cluster;
using Actors.Silo.Hosting;
using Microsoft.Extensions.Hosting;

// A storage silo of a cluster: latent, concept, registry and corpus grains, state in the configured storage.
// Settings: "Silo" (storage, ports, name) and "Cluster" (membership), e.g. --Cluster:Membership=Redis.
var builder = Host.CreateApplicationBuilder(ServerArgs.WithoutConfigReload(args));
builder.AddActorsSilo();
builder.Build().Run();
