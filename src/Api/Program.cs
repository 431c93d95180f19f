using Actors.Api.Endpoints;
using Actors.Api.Hosting;
using Actors.Api.Identity;
using Actors.Api.Pages;
using Actors.Cluster;

var builder = WebApplication.CreateBuilder(ServerArgs.WithoutConfigReload(args));
builder.AddActorsServices();
builder.AddActorsIdentity();

var app = builder.Build();
app.UseActorsPipeline();
app.UseActorsIdentity();
app.MapUsersApi();
app.MapSignInPages();
app.MapModelsApi();
app.MapSaesApi();
app.MapCorporaApi();
app.MapJobsApi();
app.MapRetrainingApi();
app.MapEvaluationsApi();
app.MapLatentsApi();
app.MapLatentSearchApi();
app.MapConceptsApi();
app.MapInvestigationsApi();
app.MapSteeringApi();
app.MapAttributionsApi();
app.MapLabellingApi();
app.MapDashboardPages();
app.MapGet("/health", () => TypedResults.Ok("ok")).WithName("Health").WithSummary("Liveness probe").WithTags("Service").AllowAnonymous();
app.Run();

/// <summary>Entry point, public so WebApplicationFactory can host it in functional tests.</summary>
public partial class Program;
