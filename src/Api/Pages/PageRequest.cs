using System.Security.Claims;
using Actors.Api.Identity;
using Microsoft.AspNetCore.Antiforgery;

namespace Actors.Api.Pages;

/// <summary>What every page needs of its request: who asks, and the anti-forgery token its write forms carry.</summary>
internal sealed class PageRequest(HttpContext http, AntiforgeryTokenSet tokens)
{
    public HttpContext Http => http;
    public ClaimsPrincipal User => http.User;
    public string? UserId => http.User.UserIdOf();
    public string RequestToken => tokens.RequestToken ?? "";

    /// <summary>The hidden field a write form carries (dashboard.js sends it as the RequestVerificationToken header).</summary>
    public string TokenField => $"<input type=\"hidden\" name=\"{Html.E(tokens.FormFieldName)}\" value=\"{Html.E(tokens.RequestToken)}\">";

    public static PageRequest Of(HttpContext http) =>
        new(http, http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http));
}
