using Actors.Api.Endpoints;
using Actors.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddActorsServices();

var app = builder.Build();
app.UseActorsPipeline();
app.MapModelsApi();
app.MapSaesApi();
app.MapCorporaApi();
app.MapJobsApi();
app.MapEvaluationsApi();
app.MapLatentsApi();
app.MapConceptsApi();
app.MapGet("/health", () => TypedResults.Ok("ok")).WithName("Health").WithSummary("Liveness probe").WithTags("Service");
app.Run();

/// <summary>Entry point, public so WebApplicationFactory can host it in functional tests.</summary>
public partial class Program;
