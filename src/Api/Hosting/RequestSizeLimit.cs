namespace Actors.Api.Hosting;

/// <summary>
/// Rejects oversized bodies with 413 and problem details before any handler reads them; uploads (multipart)
/// get the larger upload limit.
/// </summary>
public sealed class RequestSizeLimit(RequestDelegate next, ApiOptions options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        bool upload = context.Request.HasFormContentType;
        long limit = upload ? options.MaxUploadBytes : options.MaxRequestBytes;
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        if (context.Request.ContentLength > limit)
        {
            await Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
                detail: $"the body has {context.Request.ContentLength} bytes; this endpoint accepts at most {limit}").ExecuteAsync(context);
            return;
        }
        await next(context);
    }
}
