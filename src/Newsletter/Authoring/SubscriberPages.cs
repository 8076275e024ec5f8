using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Newsletter.Operations;
using Newsletter.Pages;
using Newsletter.Subscribers;

namespace Newsletter.Authoring;

/// <summary>
/// <c>/admin/subscribers</c>: the search (<see cref="SubscriberSearch"/>, as <c>subscribers search</c>), one person's
/// page (<see cref="SubscriberProfiles"/>, as <c>subscribers show</c>), their data as JSON (<c>subscribers export-data</c>),
/// and the admin's consent changes: unsubscribe from a list or from all, suppress, erase (<see cref="SubscriberEraser"/>,
/// as <c>subscribers erase</c>), each logged in the consent trail with the source <c>admin</c> and the admin's client.
/// A subscriber is named by id in every address: an address in a URL would land in logs and browser histories.
/// </summary>
public static class SubscriberPages
{
    /// <summary>Matches on one page of the search.</summary>
    public const int PerPage = 50;

    /// <summary>The longest reason kept with a manual suppression.</summary>
    public const int MaxReasonLength = 500;

    private const string Source = "admin";

    internal static void Map(RouteGroupBuilder pages, RouteGroupBuilder actions)
    {
        pages.MapGet("/subscribers", SearchAsync);
        pages.MapGet("/subscribers/{id:long}", ShowAsync);
        // Everything held about a person, address and clients included: for the admins who answer their requests, not for ops.
        pages.MapGet("/subscribers/{id:long}/data.json", DataAsync).RequireAdmin();
        actions.MapPost("/subscribers/{id:long}/unsubscribe", UnsubscribeAsync);
        actions.MapPost("/subscribers/{id:long}/unsubscribe-all", UnsubscribeAllAsync);
        actions.MapPost("/subscribers/{id:long}/suppress", SuppressAsync);
        actions.MapPost("/subscribers/{id:long}/erase", EraseAsync);
    }

    private static async Task<IResult> SearchAsync(HttpContext http, IAntiforgery antiforgery, SubscriberSearch search, string? q, string? after,
        string? erased, CancellationToken cancellationToken = default)
    {
        var text = (q ?? "").Trim();
        try
        {
            var found = await search.SearchAsync(text, after, PerPage, cancellationToken);
            return PageResults.Page<SubscribersPage>(StatusCodes.Status200OK, new
            {
                Session = AdminSession.Of(http, antiforgery),
                Query = text,
                Found = found,
                FirstPage = after is null,
                Erased = erased == "true",
            });
        }
        catch (InvalidSearchCursorException)
        {
            return PageResults.Message(StatusCodes.Status400BadRequest, "Search link broken",
                "This “next page” link was cut short or changed: search again.", "/admin/subscribers", "Search subscribers");
        }
    }

    private static async Task<IResult> ShowAsync(long id, HttpContext http, IAntiforgery antiforgery, SubscriberProfiles profiles, string? done,
        CancellationToken cancellationToken = default) =>
        await profiles.FindAsync(id, cancellationToken) is { } profile
            ? ProfilePage(http, antiforgery, profile, done, null, StatusCodes.Status200OK)
            : NoSuchSubscriber();

    private static IResult ProfilePage(HttpContext http, IAntiforgery antiforgery, SubscriberProfile profile, string? done, string? eraseError,
        int status) =>
        PageResults.Page<SubscriberPage>(status, new
        {
            Session = AdminSession.Of(http, antiforgery),
            Profile = profile,
            Done = done,
            EraseError = eraseError,
        });

    private static async Task<IResult> DataAsync(long id, HttpContext http, SubscriberProfiles profiles, CancellationToken cancellationToken = default)
    {
        // Looked up before the first byte, so an unknown id is a page and not a broken download.
        if (await profiles.FindAsync(id, cancellationToken) is not { } profile)
            return NoSuchSubscriber();
        http.Response.Headers.CacheControl = "no-store";
        return Results.Stream(output => profiles.ExportDataAsync(profile.Email, output, cancellationToken), "application/json; charset=utf-8",
            $"subscriber-{id}.json");
    }

    private static async Task<IResult> UnsubscribeAsync(long id, HttpContext http, SubscriberProfiles profiles, SubscriberStore subscribers,
        CancellationToken cancellationToken = default)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        if (await profiles.FindAsync(id, cancellationToken) is null)
            return NoSuchSubscriber();
        var list = await subscribers.FindListAsync(form["list"].ToString(), cancellationToken);
        if (list is null)
            return PageResults.Message(StatusCodes.Status404NotFound, "No such list", "There is no such list: nothing was changed.",
                $"/admin/subscribers/{id}", "Back to the subscriber");
        var changed = await subscribers.UnsubscribeAsync(id, list.Id, SubscriptionPages.Consent(http, Source), cancellationToken);
        return Done(id, changed ? "unsubscribed" : "unchanged");
    }

    private static async Task<IResult> UnsubscribeAllAsync(long id, HttpContext http, SubscriberProfiles profiles, SubscriberStore subscribers,
        CancellationToken cancellationToken = default)
    {
        if (await profiles.FindAsync(id, cancellationToken) is null)
            return NoSuchSubscriber();
        await subscribers.UnsubscribeAllAsync(id, SubscriptionPages.Consent(http, Source), cancellationToken);
        return Done(id, "unsubscribed-all");
    }

    private static async Task<IResult> SuppressAsync(long id, HttpContext http, SubscriberProfiles profiles, SubscriberStore subscribers,
        CancellationToken cancellationToken = default)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        if (await profiles.FindAsync(id, cancellationToken) is not { } profile)
            return NoSuchSubscriber();
        var reason = form["reason"].ToString().Trim();
        var detail = reason.Length == 0 ? null : reason[..Math.Min(reason.Length, MaxReasonLength)];
        var added = await subscribers.SuppressAsync(profile.Email, "manual", detail, SubscriptionPages.Consent(http, Source), cancellationToken);
        return Done(id, added ? "suppressed" : "already-suppressed");
    }

    private static async Task<IResult> EraseAsync(long id, HttpContext http, IAntiforgery antiforgery, SubscriberProfiles profiles,
        SubscriberEraser eraser, CancellationToken cancellationToken = default)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        if (await profiles.FindAsync(id, cancellationToken) is not { } profile)
            return NoSuchSubscriber();
        if (form["confirm"].ToString() != "erase")
            return ProfilePage(http, antiforgery, profile, null,
                "Tick the box to confirm: erasing cannot be undone. Nothing was erased.", StatusCodes.Status422UnprocessableEntity);
        await eraser.EraseAsync(profile.Email, SubscriptionPages.Consent(http, Source), cancellationToken);
        return Results.Redirect("/admin/subscribers?erased=true");
    }

    private static IResult Done(long id, string done) => Results.Redirect($"/admin/subscribers/{id}?done={done}");

    private static IResult NoSuchSubscriber() =>
        PageResults.Message(StatusCodes.Status404NotFound, "No such subscriber",
            "There is no subscriber at this address: they may have been erased.", "/admin/subscribers", "Search subscribers");
}
