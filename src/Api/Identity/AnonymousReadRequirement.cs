using Microsoft.AspNetCore.Authorization;

namespace Actors.Api.Identity;

/// <summary>
/// The policy of every route without a policy of its own: a signed-in user; or, when <see cref="AuthOptions.AnonymousReads"/>
/// is on, anyone reading latent statistics (GET under /api/saes/{id}/latents).
/// </summary>
public sealed class AnonymousReadRequirement(bool anonymousReads) : AuthorizationHandler<AnonymousReadRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AnonymousReadRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated == true) context.Succeed(requirement);
        else if (anonymousReads && context.Resource is HttpContext http && HttpMethods.IsGet(http.Request.Method) && IsLatentRead(http.Request.Path))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }

    static bool IsLatentRead(PathString path)
    {
        var parts = path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return parts.Length >= 4 && parts[0] == "api" && parts[1] == "saes" && parts[3] == "latents";
    }
}
