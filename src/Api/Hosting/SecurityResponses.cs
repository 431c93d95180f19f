using Actors.Api.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Actors.Api.Hosting;

/// <summary>
/// The OpenAPI document's security: the x-api-key scheme required by every operation that is not anonymous, and the
/// 401 (no or bad key), 403 (a role the caller lacks) and 429 (too many failed authentications) each such operation can answer.
/// </summary>
public sealed class SecurityResponses : IOperationFilter
{
    public const string SchemeName = "ApiKey";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any()) return;
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] });
        operation.Responses ??= new OpenApiResponses();
        Add(operation, "401", $"No valid API key in {ApiKeys.Header} (or signed-in session)");
        Add(operation, "403", "The caller lacks the role this operation needs");
        Add(operation, "429", "Too many failed authentications from this address; retry after a minute");
        // A route that names a resource answers 404 problem details for an id it does not know.
        if (context.ApiDescription.RelativePath?.Contains('{') == true) Add(operation, "404", "No resource with that id (problem details name it)");
    }

    static void Add(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status)) return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() },
        };
    }

    public static void AddScheme(SwaggerGenOptions options)
    {
        options.AddSecurityDefinition(SchemeName, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeys.Header,
            Description = "An API key (ak_<id>_<secret>); the embedded default prints the first admin's on its first start.",
        });
        options.OperationFilter<SecurityResponses>();
    }
}
