using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using System.Text.Json.Serialization;
using Actors.Api.Demo;
using Actors.Api.Identity;
using Actors.Blobs;
using Actors.Cluster;
using Actors.GpuHost.Hosting;
using Actors.Silo.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Orleans.Dashboard;

namespace Actors.Api.Hosting;

public static class ApiServiceExtensions
{
    /// <summary>
    /// The API, and beside it either the embedded default (Cluster:Membership Localhost: one silo in this process that
    /// holds the grains, SQLite unless configured otherwise, and is the GPU host, ingesting on this process's CPU) or,
    /// in a cluster (Redis membership), an Orleans client of the cluster's silos.
    /// </summary>
    public static IHostApplicationBuilder AddActorsServices(this IHostApplicationBuilder builder)
    {
        // `dotnet run --project src/Api` runs from the repository root: the shipped appsettings.json beside the binary
        // gives the defaults, which anything else (a local appsettings.json, environment, command line) overrides.
        builder.Configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            Path = "appsettings.json", Optional = true, FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        });
        var apiOptions = builder.Configuration.GetSection("Api").Get<ApiOptions>() ?? new ApiOptions();
        builder.Services.AddSingleton(apiOptions);
        builder.Services.Configure<SocketTransportOptions>(o => o.UnsafePreferInlineScheduling = apiOptions.InlineScheduling);
        var cluster = builder.Configuration.ClusterSettings();
        bool embedded = cluster.Membership == ClusterMembership.Localhost;
        if (embedded) builder.AddActorsSilo(silo => silo.AddGpuHost(builder.Configuration));
        else
        {
            builder.UseOrleansClient(client => client.UseActorsCluster(cluster));
            builder.Services.AddBlobStore(builder.Configuration);
        }
        builder.Services.AddSingleton<SaeDirectory>();
        builder.Services.AddSingleton<SerializedJson>();
        var demo = builder.Configuration.GetSection("Demo").Get<DemoOptions>() ?? new DemoOptions();
        builder.Services.AddSingleton(demo);
        if (demo.Enabled && embedded) builder.Services.AddHostedService<EmbeddedDemo>();
        builder.Services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = apiOptions.MaxUploadBytes);
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new() { Title = "CLIP latent observatory", Version = "v1" });
            SecurityResponses.AddScheme(o);
        });
        return builder;
    }

    public static WebApplication UseActorsPipeline(this WebApplication app)
    {
        // Malformed JSON and unreadable bodies are the client's fault: their BadHttpRequestException carries the 4xx.
        // A grain call that failed in transit (its silo died and membership has not yet moved its grains, a timeout)
        // is a 503: the same request succeeds again in a moment.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                _ when GrainRetry.IsTransient(e) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        app.UseMiddleware<RequestSizeLimit>();
        app.UseSwagger();
        app.UseSwaggerUI(o => o.DocumentTitle = "CLIP latent observatory");
        // Orleans's dashboard reads any grain's state (users' key hashes, every team's investigations): administrators only.
        if (app.Configuration.ClusterSettings().Dashboard)
            app.MapOrleansDashboard("/dashboard").RequireAuthorization(ActorsClaims.AdminPolicy);
        return app;
    }
}
