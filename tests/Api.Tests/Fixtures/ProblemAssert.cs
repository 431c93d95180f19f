using System.Net;
using System.Text.Json;

namespace Actors.Api.Tests.Fixtures;

/// <summary>Asserts an RFC 7807 body: its status, optionally the field its errors name and a text it mentions.</summary>
public static class ProblemAssert
{
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status,
        string? field = null, string? mentions = null)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (field is not null)
            Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"the problem does not name '{field}': {body}");
        if (mentions is not null) Assert.Contains(mentions, body);
        return problem;
    }
}
