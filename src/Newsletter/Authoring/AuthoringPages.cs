using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Operations;
using Newsletter.Pages;

namespace Newsletter.Authoring;

/// <summary>
/// The author's web app under <c>/admin</c>, behind the operator sign-in: every page for admins and ops,
/// every action (a POST) for admins only, and only with the anti-forgery token of a page it served.
/// </summary>
public static class AuthoringPages
{
    /// <summary>An issue is some tens of kilobytes; a form with one, or an uploaded file, stays far below this.</summary>
    public const long MaxBodyBytes = 2 * 1024 * 1024;

    public static WebApplication MapAuthoringPages(this WebApplication app)
    {
        var pages = app.MapGroup("/admin").RequireOperator();
        pages.MapGet("", () => Results.LocalRedirect("/admin/issues"));
        var actions = pages.MapGroup("").RequireAdmin().AddEndpointFilter(LimitBodyAsync).AddEndpointFilter(RequireFormTokenAsync);
        IssuePages.Map(pages, actions);
        SendPages.Map(pages, actions);
        SchedulePages.Map(pages, actions);
        ListPages.Map(pages, actions);
        SubscriberPages.Map(pages, actions);
        return app;
    }

    private static ValueTask<object?> LimitBodyAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var upload = http.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>();
        var limit = upload?.Bytes ?? MaxBodyBytes;
        if (http.Request.ContentLength > limit)
            return ValueTask.FromResult<object?>(PageResults.Message(StatusCodes.Status413PayloadTooLarge, "Request too large",
                upload is null
                    ? $"An issue or its file may be up to {MaxBodyBytes / 1024 / 1024} MB."
                    : $"A file may be up to {limit / 1024 / 1024} MB: nothing was changed."));
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;
        return next(invocation);
    }

    private static async ValueTask<object?> RequireFormTokenAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        if (!await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            return PageResults.Message(StatusCodes.Status400BadRequest, "Form refused",
                "The form expired or did not come from this site: nothing was changed. Reload the page and try again.",
                "/admin/issues", "Back to the issues");
        return await next(invocation);
    }
}
