using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Actors.Api.Hosting;

/// <summary>
/// UTF-8 JSON of immutable response objects, serialized once per instance with the API's JSON options. Grains
/// hand out the same view instance until their state changes, so a hot read is answered from these bytes.
/// Entries live as long as their instance (a weak table), so a replaced view's bytes go with it.
/// </summary>
public sealed class SerializedJson(IOptions<JsonOptions> options)
{
    readonly ConditionalWeakTable<object, byte[]> cache = new();
    readonly JsonSerializerOptions serializer = options.Value.SerializerOptions;

    public byte[] Of<T>(T value) where T : class
    {
        if (cache.TryGetValue(value, out var utf8)) return utf8;
        utf8 = JsonSerializer.SerializeToUtf8Bytes(value, serializer);
        cache.AddOrUpdate(value, utf8);   // two racing first readers serialize twice and store equal bytes
        return utf8;
    }
}

/// <summary>200 with pre-serialized JSON of a <typeparamref name="T"/>; described to OpenAPI as that type.</summary>
public sealed class JsonBytes<T>(byte[] utf8) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;
    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = ContentType;
        context.Response.ContentLength = utf8.Length;
        return context.Response.Body.WriteAsync(utf8).AsTask();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
