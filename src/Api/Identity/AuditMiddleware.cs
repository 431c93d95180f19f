using Actors.Grains.Identity;
using Orleans;

namespace Actors.Api.Identity;

/// <summary>
/// Appends every write (any method but GET, HEAD, OPTIONS) to the day's audit log once it has been answered: who,
/// what, when, the status, and the If-Match / ETag pair where the route uses them. Refused writes (401, 403, 4xx) are
/// logged too: an audit log shows attempts, not only successes.
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, IGrainFactory grains, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
        {
            await next(context);
            return;
        }
        string? before = context.Request.Headers.IfMatch.Count > 0 ? context.Request.Headers.IfMatch.ToString() : null;
        try { await next(context); }
        finally
        {
            var at = clock.GetUtcNow();
            string? after = context.Response.Headers.ETag.Count > 0 ? context.Response.Headers.ETag.ToString() : null;
            var entry = new AuditEntry(at, context.User.UserIdOf(), context.User.NameOf(), context.Request.Method,
                context.Request.Path.Value ?? "", context.Response.StatusCode, before, after);
            await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.KeyOf(at)).AppendAsync(entry);
        }
    }
}
