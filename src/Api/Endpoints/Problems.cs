using Microsoft.AspNetCore.Http.HttpResults;

namespace Actors.Api.Endpoints;

/// <summary>RFC 7807 bodies shared by the endpoints.</summary>
internal static class Problems
{
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Unknown {what}", detail: $"no {what} '{id}' is registered");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>Ids name grains and folders: 1-100 letters, digits, '-', '_' or '.', not "." or "..".</summary>
    public static string? CheckId(string? id, string field)
    {
        if (string.IsNullOrWhiteSpace(id)) return $"{field} is required";
        if (id.Length > 100) return $"{field} is longer than 100 characters";
        if (id is "." or ".." || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            return $"{field} '{id}' may hold only letters, digits, '-', '_' and '.'";
        return null;
    }
}
