using System.Security.Claims;
using Actors.Api.Identity;
using Actors.Grains.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans;

namespace Actors.Api.Endpoints;

/// <summary>A user with a key shown once (its secret is kept nowhere).</summary>
public sealed record IssuedKey(UserRecord User, string KeyId, string ApiKey);

public sealed record CreateUserRequest(string? Name, bool Admin = false);

/// <summary>Users, their API keys, and the audit log (admins; a user manages their own keys).</summary>
public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Users");
        api.MapGet("/me", Me).WithName("GetMe").WithSummary("The calling user");
        api.MapGet("/users", ListUsers).WithName("ListUsers").WithSummary("All users (admin)").RequireAuthorization(ActorsClaims.AdminPolicy);
        api.MapPost("/users", CreateUser).WithName("CreateUser")
            .WithSummary("Create a user and a first API key, shown once (admin)").RequireAuthorization(ActorsClaims.AdminPolicy);
        api.MapGet("/users/{userId}/keys", ListKeys).WithName("ListKeys").WithSummary("A user's API keys, without secrets (admin or the user)");
        api.MapPost("/users/{userId}/keys", IssueKey).WithName("IssueKey").WithSummary("Issue another API key, shown once (admin or the user)");
        api.MapDelete("/keys/{keyId}", RevokeKey).WithName("RevokeKey")
            .WithSummary("Revoke an API key: the next request with it is refused (admin or the key's user)");
        api.MapGet("/audit", ReadAudit).WithName("ReadAudit")
            .WithSummary("One UTC day's audit log (admin): every write, who, when, status, ETags").RequireAuthorization(ActorsClaims.AdminPolicy);
        return app;
    }

    public static async Task<Results<Ok<UserRecord>, ProblemHttpResult>> Me(ClaimsPrincipal user, IGrainFactory grains) =>
        user.UserIdOf() is { } id && await Directory(grains).GetUserAsync(id) is { } record ? TypedResults.Ok(record) : UnknownUser(user.UserIdOf() ?? "?");

    public static async Task<Ok<UserRecord[]>> ListUsers(IGrainFactory grains) => TypedResults.Ok(await Directory(grains).ListUsersAsync());

    public static async Task<Results<Created<IssuedKey>, ValidationProblem, ProblemHttpResult>> CreateUser(CreateUserRequest request, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
            return Problems.Invalid("name", "name is required (at most 100 characters)");
        if (await Directory(grains).FindByNameAsync(request.Name) is not null) return Problems.Conflict($"a user named '{request.Name}' exists");
        var key = ApiKeys.Generate();
        var user = await Directory(grains).CreateUserAsync(request.Name, request.Admin, key.KeyId, key.SecretHash);
        return TypedResults.Created($"/api/users/{user.UserId}/keys", new IssuedKey(user, key.KeyId, key.Plaintext));
    }

    public static async Task<Results<Ok<ApiKeyInfo[]>, ProblemHttpResult>> ListKeys(string userId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!user.IsAdmin() && user.UserIdOf() != userId) return Forbidden(user);
        if (await Directory(grains).GetUserAsync(userId) is null) return UnknownUser(userId);
        return TypedResults.Ok(await Directory(grains).ListKeysAsync(userId));
    }

    public static async Task<Results<Created<IssuedKey>, ProblemHttpResult>> IssueKey(string userId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!user.IsAdmin() && user.UserIdOf() != userId) return Forbidden(user);
        if (await Directory(grains).GetUserAsync(userId) is not { } owner) return UnknownUser(userId);
        var key = ApiKeys.Generate();
        await Directory(grains).AddKeyAsync(userId, key.KeyId, key.SecretHash);
        return TypedResults.Created($"/api/users/{userId}/keys", new IssuedKey(owner, key.KeyId, key.Plaintext));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(string keyId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var key = await Directory(grains).GetKeyAsync(keyId);
        if (key is null) return TypedResults.Problem(statusCode: 404, title: "Unknown API key", detail: $"no API key '{keyId}' exists");
        if (!user.IsAdmin() && user.UserIdOf() != key.UserId) return Forbidden(user);
        await Directory(grains).RevokeKeyAsync(keyId);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<AuditEntry[]>, ValidationProblem>> ReadAudit(IGrainFactory grains, TimeProvider clock, string? day = null)
    {
        day ??= clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd");
        if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", out var date)) return Problems.Invalid("day", $"day '{day}' is not a yyyy-MM-dd date");
        return TypedResults.Ok(await IAuditLogGrain.ReadDayAsync(grains, date));
    }

    static IUserDirectoryGrain Directory(IGrainFactory grains) => grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key);

    static ProblemHttpResult UnknownUser(string id) => TypedResults.Problem(statusCode: 404, title: "Unknown user", detail: $"no user '{id}' exists");

    static ProblemHttpResult Forbidden(ClaimsPrincipal user) =>
        TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: $"user '{user.NameOf()}' may manage only their own keys");
}
