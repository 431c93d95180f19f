using System.Security.Claims;
using System.Text.Json;
using Actors.Api.Identity;
using Actors.Grains.Identity;
using Actors.Grains.Investigations;
using Actors.Grains.Jobs;
using Actors.Grains.Latents;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans;

namespace Actors.Api.Endpoints;

public sealed record CreateInvestigationRequest(string? Title, string? Description);
public sealed record UpdateInvestigationRequest(string? Title, string? Description);
public sealed record MemberRequest(string? Role);
public sealed record AddItemRequest(string? Kind, string? Ref);
public sealed record AddLatentRequest(string? SaeId, int? Latent);
public sealed record NoteRequest(string? Markdown);
public sealed record VoteRequest(string? Label, int Value);
public sealed record EvidenceRequest(string? Kind, string? Title, string? JobId, string? SaeId, string? CorpusId, JsonElement? Parameters,
    JsonElement? Result, int? Latent);
public sealed record WatchRequest(string? SaeId, int? Latent);
/// <summary>What moved on a watched or pinned latent since its baseline.</summary>
public sealed record LatentChange(string SaeId, int Latent, string Since, LatentSnapshot Baseline, LatentSnapshot Now, string[] Changed);

/// <summary>
/// Team investigations. Members only (admins may read any): viewers read and watch, editors change lists, notes,
/// votes and evidence, owners manage members and read the investigation's audit log. Every change needs If-Match
/// with the current ETag: 428 without it, 412 when another change came first.
/// </summary>
public static class InvestigationsApi
{
    public static IEndpointRouteBuilder MapInvestigationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/investigations").WithTags("Investigations");
        api.MapGet("/", List).WithName("ListInvestigations").WithSummary("The investigations the caller is a member of");
        api.MapPost("/", Create).WithName("CreateInvestigation").WithSummary("Create an investigation; the caller is its owner");
        api.MapGet("/{id}", Get).WithName("GetInvestigation").ProducesProblem(StatusCodes.Status404NotFound).WithSummary("An investigation with its members, lists, notes, votes, evidence and watches (ETag)");
        api.MapPatch("/{id}", Update).WithName("UpdateInvestigation").WithChangeResponses().WithSummary("Change title or description (editor; If-Match)");
        api.MapPut("/{id}/members/{userId}", SetMember).WithName("SetInvestigationMember").WithChangeResponses().WithSummary("Add a member or change their role (owner; If-Match)");
        api.MapDelete("/{id}/members/{userId}", RemoveMember).WithName("RemoveInvestigationMember").WithChangeResponses().WithSummary("Remove a member (owner; If-Match)");
        api.MapPost("/{id}/items", AddItem).WithName("AddInvestigationItem").WithChangeResponses().WithSummary("List a latent, image or concept (editor; If-Match)");
        api.MapPost("/{id}/latents", AddLatent).WithName("AddInvestigationLatent").WithChangeResponses().WithSummary("List a latent of an SAE (editor; If-Match)");
        api.MapDelete("/{id}/items/{itemId}", RemoveItem).WithName("RemoveInvestigationItem").WithChangeResponses().WithSummary("Remove a listed item (editor; If-Match)");
        api.MapPost("/{id}/items/{itemId}/notes", AddNote).WithName("AddInvestigationNote").WithChangeResponses().WithSummary("Add a Markdown note, rendered as sanitized HTML (editor; If-Match)");
        api.MapPost("/{id}/items/{itemId}/votes", Vote).WithName("VoteOnLabel").WithChangeResponses().WithSummary("Vote +1/−1 on a listed latent's label, 0 withdraws (editor; If-Match)");
        api.MapPost("/{id}/evidence", Pin).WithName("PinEvidence").WithChangeResponses()
            .WithSummary("Pin an immutable snapshot of a job's result, or of an attribution or steering result with what produced it (editor; If-Match)");
        api.MapPost("/{id}/watches", Watch).WithName("WatchLatent").WithChangeResponses().WithSummary("Watch a latent from now (any member; If-Match)");
        api.MapGet("/{id}/changes", Changes).WithName("InvestigationChanges").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("What moved on watched and pinned latents since their baseline (frequency, top references, label)");
        api.MapGet("/{id}/audit", Audit).WithName("InvestigationAudit").ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Every write to this investigation in the last 7 days (owner or admin)");
        return app;
    }

    static IInvestigationGrain Grain(IGrainFactory grains, string id) => grains.GetGrain<IInvestigationGrain>(id);

    public static async Task<Ok<InvestigationSummary[]>> List(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IInvestigationIndexGrain>(IInvestigationIndexGrain.Key).ListForAsync(user.UserIdOf()!));

    public static async Task<Results<Created<InvestigationView>, ValidationProblem>> Create(CreateInvestigationRequest request, ClaimsPrincipal user,
        IGrainFactory grains, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Length > 200) return Problems.Invalid("title", "title is required (at most 200 characters)");
        string id = $"inv-{Guid.NewGuid().ToString("N")[..12]}";
        var view = await Grain(grains, id).CreateAsync(request.Title, request.Description ?? "", new InvestigationMember(user.UserIdOf()!, user.NameOf(), InvestigationRole.Owner));
        ETags.Set(http, view.Version);
        return TypedResults.Created($"/api/investigations/{id}", view);
    }

    public static async Task<Results<Ok<InvestigationView>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains, HttpContext http)
    {
        var (view, refused) = await ReadAsync(grains, id, user, InvestigationRole.Viewer);
        if (refused is not null) return refused;
        ETags.Set(http, view!.Version);
        return TypedResults.Ok(view);
    }

    public static Task<IResult> Update(string id, UpdateInvestigationRequest request, ClaimsPrincipal user, IGrainFactory grains, HttpContext http) =>
        ChangeAsync(http, grains, id, user, InvestigationRole.Editor, (g, v, _) => g.UpdateAsync(v, request.Title, request.Description));

    public static async Task<IResult> SetMember(string id, string userId, MemberRequest request, ClaimsPrincipal user, IGrainFactory grains, HttpContext http)
    {
        if (!Enum.TryParse<InvestigationRole>(request.Role, ignoreCase: true, out var role) || !Enum.IsDefined(role))
            return Problems.Invalid("role", $"role '{request.Role}' is not one of owner, editor, viewer");
        if (await grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key).GetUserAsync(userId) is not { } member)
            return TypedResults.Problem(statusCode: 404, title: "Unknown user", detail: $"no user '{userId}' exists");
        return await ChangeAsync(http, grains, id, user, InvestigationRole.Owner, (g, v, _) => g.SetMemberAsync(v, userId, member.Name, role));
    }

    public static Task<IResult> RemoveMember(string id, string userId, ClaimsPrincipal user, IGrainFactory grains, HttpContext http) =>
        ChangeAsync(http, grains, id, user, InvestigationRole.Owner, (g, v, view) =>
            view.RoleOf(userId) is null ? throw new KeyNotFoundException($"user '{userId}' is not a member") : g.SetMemberAsync(v, userId, userId, null));

    public static async Task<IResult> AddItem(string id, AddItemRequest request, ClaimsPrincipal user, IGrainFactory grains, HttpContext http)
    {
        if (request.Kind is null || !InvestigationItem.Kinds.Contains(request.Kind))
            return Problems.Invalid("kind", $"kind '{request.Kind}' is not one of {string.Join(", ", InvestigationItem.Kinds)}");
        if (string.IsNullOrWhiteSpace(request.Ref) || request.Ref.Count(c => c == '/') != 1 || request.Ref.Length > 300)
            return Problems.Invalid("ref", "ref is '{sae}/{latent}', '{corpus}/{image}' or '{vocabulary}/{concept}'");
        return await ChangeAsync(http, grains, id, user, InvestigationRole.Editor, (g, v, _) => g.AddItemAsync(v, request.Kind, request.Ref, user.NameOf()));
    }

    public static Task<IResult> AddLatent(string id, AddLatentRequest request, ClaimsPrincipal user, IGrainFactory grains, HttpContext http) =>
        AddItem(id, new AddItemRequest("latent", request.SaeId is null || request.Latent is not { } latent ? null : InvestigationItem.LatentRef(request.SaeId, latent)), user, grains, http);

    public static Task<IResult> RemoveItem(string id, string itemId, ClaimsPrincipal user, IGrainFactory grains, HttpContext http) =>
        ChangeAsync(http, grains, id, user, InvestigationRole.Editor, (g, v, _) => g.RemoveItemAsync(v, itemId));

    public static async Task<IResult> AddNote(string id, string itemId, NoteRequest request, ClaimsPrincipal user, IGrainFactory grains, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(request.Markdown) || request.Markdown.Length > 20_000)
            return Problems.Invalid("markdown", "markdown is required (at most 20,000 characters)");
        var note = new InvestigationNote($"n-{Guid.NewGuid().ToString("N")[..10]}", user.UserIdOf()!, user.NameOf(), request.Markdown,
            NoteRenderer.ToSafeHtml(request.Markdown), DateTimeOffset.UtcNow);
        return await ChangeAsync(http, grains, id, user, InvestigationRole.Editor, (g, v, _) => g.AddNoteAsync(v, itemId, note));
    }

    public static async Task<IResult> Vote(string id, string itemId, VoteRequest request, ClaimsPrincipal user, IGrainFactory grains, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(request.Label)) return Problems.Invalid("label", "label is required");
        if (request.Value is not (1 or -1 or 0)) return Problems.Invalid("value", "value is +1, -1 or 0 (withdraw)");
        return await ChangeAsync(http, grains, id, user, InvestigationRole.Editor,
            (g, v, _) => g.VoteAsync(v, itemId, new LabelVote(request.Label, user.UserIdOf()!, request.Value)));
    }

    public static async Task<IResult> Pin(string id, EvidenceRequest request, ClaimsPrincipal user, IGrainFactory grains, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(request.Title)) return Problems.Invalid("title", "title is required");
        PinnedEvidence evidence;
        string evidenceId = $"e-{Guid.NewGuid().ToString("N")[..10]}";
        if (request.JobId is { } jobId)
        {
            if (await grains.GetGrain<IJobGrain>(jobId).GetAsync() is not { } job) return Problems.Invalid("jobId", $"no job '{jobId}' exists");
            if (job.Status != JobStatus.Succeeded) return Problems.Invalid("jobId", $"job '{jobId}' is {job.Status.ToString().ToLowerInvariant()}; only a succeeded job's result can be pinned");
            var saeId = JsonDocument.Parse(job.Parameters).RootElement.TryGetProperty("saeId", out var s) ? s.GetString() : null;
            evidence = new PinnedEvidence(evidenceId, job.Kind, request.Title, saeId, null, job.Parameters, job.Result ?? "null", jobId,
                user.NameOf(), DateTimeOffset.UtcNow, null, null);
        }
        else
        {
            if (request.Kind is not ("attribution" or "steering"))
                return Problems.Invalid("kind", "kind is attribution or steering (or give jobId to pin a job's result)");
            if (request.SaeId is null || request.Result is null || request.Parameters is null)
                return Problems.Invalid("result", "an attribution or steering pin needs saeId, parameters and result");
            LatentSnapshot? atPin = request.Latent is { } latent ? await SnapshotAsync(grains, request.SaeId, latent) : null;
            evidence = new PinnedEvidence(evidenceId, request.Kind, request.Title, request.SaeId, request.CorpusId,
                request.Parameters.Value.GetRawText(), request.Result.Value.GetRawText(), null, user.NameOf(), DateTimeOffset.UtcNow,
                request.Latent is { } l ? $"{request.SaeId}/{l}" : null, atPin);
        }
        return await ChangeAsync(http, grains, id, user, InvestigationRole.Editor, (g, v, _) => g.PinAsync(v, evidence));
    }

    public static async Task<IResult> Watch(string id, WatchRequest request, ClaimsPrincipal user, IGrainFactory grains, HttpContext http)
    {
        if (request.SaeId is null || request.Latent is not { } latent) return Problems.Invalid("latent", "saeId and latent are required");
        var baseline = await SnapshotAsync(grains, request.SaeId, latent);
        return await ChangeAsync(http, grains, id, user, InvestigationRole.Viewer,
            (g, v, _) => g.WatchAsync(v, new LatentWatch(request.SaeId, latent, user.UserIdOf()!, baseline)));
    }

    public static async Task<Results<Ok<LatentChange[]>, ProblemHttpResult>> Changes(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (view, refused) = await ReadAsync(grains, id, user, InvestigationRole.Viewer);
        if (refused is not null) return refused;
        // Every baseline against the latent as it is now: each latent read once, all at once.
        var baselines = view!.Watches.Select(w => (w.SaeId, w.Latent, Source: "watch", w.Baseline))
            .Concat(view.Evidence.Where(e => e.LatentAtPin is not null && e.Latent is not null)
                .Select(e => (Ref: InvestigationItem.ParseLatentRef(e.Latent!), e))
                .Where(x => x.Ref is not null)
                .Select(x => (x.Ref!.Value.SaeId, x.Ref.Value.Latent, Source: $"evidence {x.e.EvidenceId}", Baseline: x.e.LatentAtPin!)))
            .ToArray();
        var latents = baselines.Select(b => (b.SaeId, b.Latent)).Distinct().ToArray();
        var now = (await Task.WhenAll(latents.Select(l => SnapshotAsync(grains, l.SaeId, l.Latent))))
            .Select((snapshot, i) => (latents[i], snapshot)).ToDictionary(x => x.Item1, x => x.snapshot);
        return TypedResults.Ok(baselines.Select(b => Compare(b.SaeId, b.Latent, b.Source, b.Baseline, now[(b.SaeId, b.Latent)])).ToArray());
    }

    public static async Task<Results<Ok<AuditEntry[]>, ProblemHttpResult>> Audit(string id, ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock)
    {
        var (view, refused) = await ReadAsync(grains, id, user, InvestigationRole.Owner);
        if (refused is not null) return refused;
        string prefix = $"/api/investigations/{id}";
        var now = clock.GetUtcNow();
        var entries = new List<AuditEntry>();
        for (int d = 6; d >= 0; d--)
            entries.AddRange((await IAuditLogGrain.ReadDayAsync(grains, DateOnly.FromDateTime(now.AddDays(-d).UtcDateTime)))
                .Where(e => e.Path == prefix || e.Path.StartsWith(prefix + "/", StringComparison.Ordinal)));
        return TypedResults.Ok(entries.ToArray());
    }

    static LatentChange Compare(string saeId, int latent, string since, LatentSnapshot then, LatentSnapshot now)
    {
        var changed = new List<string>();
        if (Math.Abs(then.ImageFrequency - now.ImageFrequency) > 1e-12) changed.Add("frequency");
        if (Math.Abs(then.MeanActivation - now.MeanActivation) > 1e-12) changed.Add("mean activation");
        if (!then.TopReferences.SequenceEqual(now.TopReferences)) changed.Add("top references");
        if (then.Label != now.Label) changed.Add("label");
        return new LatentChange(saeId, latent, since, then, now, [.. changed]);
    }

    static async Task<LatentSnapshot> SnapshotAsync(IGrainFactory grains, string saeId, int latent)
    {
        var v = await grains.GetGrain<ILatentGrain>(LatentKey.Of(saeId, latent)).GetAsync();
        return new LatentSnapshot(v.ImageFrequency, v.MeanActivation, [.. v.References.Take(5).Select(r => $"{r.Image.CorpusId}/{r.Image.ImageId}")],
            v.SemanticLabels?.Assigned?.Text, v.BatchesApplied, DateTimeOffset.UtcNow);
    }

    /// <summary>The investigation if the caller may read it at <paramref name="needed"/>; otherwise the refusal (404 to non-members).</summary>
    static async Task<(InvestigationView? View, ProblemHttpResult? Refused)> ReadAsync(IGrainFactory grains, string id, ClaimsPrincipal user, InvestigationRole needed)
    {
        var view = await Grain(grains, id).GetAsync();
        var role = view?.RoleOf(user.UserIdOf());
        bool adminRead = user.IsAdmin() && needed <= InvestigationRole.Owner && view is not null && (needed == InvestigationRole.Viewer || needed == InvestigationRole.Owner);
        if (view is null || (role is null && !adminRead))
            return (null, TypedResults.Problem(statusCode: 404, title: "Unknown investigation", detail: $"no investigation '{id}' that you are a member of"));
        if (!adminRead && role < needed)
            return (null, TypedResults.Problem(statusCode: 403, title: "Forbidden",
                detail: $"user '{user.NameOf()}' is {role.ToString()!.ToLowerInvariant()} of '{id}'; this needs {needed.ToString().ToLowerInvariant()}"));
        return (view, null);
    }

    /// <summary>A change by a member with at least <paramref name="needed"/>, against the version the caller names in If-Match.</summary>
    static async Task<IResult> ChangeAsync(HttpContext http, IGrainFactory grains, string id, ClaimsPrincipal user, InvestigationRole needed,
        Func<IInvestigationGrain, long, InvestigationView, Task<InvestigationView>> change)
    {
        var view = await Grain(grains, id).GetAsync();
        var role = view?.RoleOf(user.UserIdOf());
        if (view is null || role is null)
            return TypedResults.Problem(statusCode: 404, title: "Unknown investigation", detail: $"no investigation '{id}' that you are a member of");
        if (role < needed)
            return TypedResults.Problem(statusCode: 403, title: "Forbidden",
                detail: $"user '{user.NameOf()}' is {role.ToString()!.ToLowerInvariant()} of '{id}'; this needs {needed.ToString().ToLowerInvariant()}");
        if (ETags.Read(http) is not { } expected)
            return http.Request.Headers.IfMatch.Count == 0
                ? TypedResults.Problem(statusCode: 428, title: "If-Match required", detail: $"send If-Match with the investigation's ETag (now \"v{view.Version}\")")
                : Problems.Invalid("If-Match", $"If-Match '{http.Request.Headers.IfMatch}' is not an ETag of this API (\"v<version>\")");
        try
        {
            var changed = await change(Grain(grains, id), expected, view);
            ETags.Set(http, changed.Version);
            return TypedResults.Ok(changed);
        }
        catch (StaleVersionException e)
        {
            return TypedResults.Problem(statusCode: 412, title: "Stale ETag", detail: $"{e.Message}; re-read (ETag \"v{e.Current}\") and apply the change again");
        }
        catch (KeyNotFoundException e) { return TypedResults.Problem(statusCode: 404, title: "Not found", detail: e.Message); }
        catch (ArgumentException e) { return Problems.Invalid("body", e.Message); }
        catch (InvalidOperationException e) { return Problems.Conflict(e.Message); }
    }
}

/// <summary>What a change of an investigation can answer besides 200, for the OpenAPI document.</summary>
internal static class InvestigationResponses
{
    public static RouteHandlerBuilder WithChangeResponses(this RouteHandlerBuilder route) => route
        .Produces<InvestigationView>(StatusCodes.Status200OK)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}

/// <summary>Investigation versions as ETags: "v{version}".</summary>
internal static class ETags
{
    public static void Set(HttpContext http, long version) => http.Response.Headers.ETag = $"\"v{version}\"";

    public static long? Read(HttpContext http)
    {
        string value = http.Request.Headers.IfMatch.ToString().Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        return value.Length > 3 && value[0] == '"' && value[^1] == '"' && value[1] == 'v' && long.TryParse(value[2..^1], out long v) ? v : null;
    }
}
