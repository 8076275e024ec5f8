using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Newsletter.Subscribers;

namespace Newsletter.Api;

/// <summary>
/// <c>/api/v1/subscribers</c>: add or update by address, one or a batch (<see cref="SubscriberUpserts"/>), read one
/// (<see cref="SubscriberProfiles"/>, as <c>subscribers show</c>), search (<see cref="SubscriberSearch"/>), and the admin
/// app's consent changes: unsubscribe from a list or all, suppress, erase (<see cref="SubscriberEraser"/>), each logged
/// in the consent trail with the source <c>api</c>. A subscriber is named by id: an address in a URL lands in logs.
/// </summary>
public static class SubscribersApi
{
    /// <summary>Consent events the API writes carry this source.</summary>
    public const string Source = "api";

    /// <summary>As the sign-up form: a name is a name, not a document.</summary>
    public const int MaxNameLength = 200;

    public const int MaxReasonLength = 500;

    internal static void Map(RouteGroupBuilder read, RouteGroupBuilder write)
    {
        read.MapGet("/subscribers", SearchAsync).WithSummary("Subscribers whose address or name starts with q, any case, a page at a time.")
            .Produces<SearchPage>().ProducesValidationProblem();
        read.MapGet("/subscribers/{id:long}", GetAsync).WithSummary("One subscriber: attributes, lists and suppression.")
            .Produces<SubscriberView>().ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/subscribers/{id:long}/consent", ConsentAsync).WithSummary("The subscriber's consent trail, oldest first.")
            .Produces<ConsentRecord[]>().ProducesProblem(StatusCodes.Status404NotFound);
        write.MapPut("/subscribers", UpsertAsync)
            .WithSummary("Adds or updates a subscriber by address (201 when new). Suppressed or erased addresses are refused (409).")
            .Produces<SubscriberView>().Produces<SubscriberView>(StatusCodes.Status201Created).ProducesValidationProblem();
        write.MapPost("/subscribers/batch", BatchAsync)
            .WithSummary($"Adds or updates up to {SubscriberUpserts.MaxBatch} subscribers in one transaction; suppressed addresses are left out and listed.")
            .Produces<BatchResult>().ProducesValidationProblem();
        write.MapPost("/subscribers/{id:long}/unsubscribe", UnsubscribeAsync)
            .WithSummary("Unsubscribes from one list, or with all: true from every list (which also suppresses the address).")
            .Produces<SubscriberView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        write.MapPost("/subscribers/{id:long}/suppress", SuppressAsync).WithSummary("Puts the address on the suppression list (reason manual).")
            .Produces<SubscriberView>().ProducesProblem(StatusCodes.Status404NotFound);
        write.MapDelete("/subscribers/{id:long}", EraseAsync)
            .WithSummary("Erases the subscriber at once, as the admin app does: only a hash of the address stays, suppressed.")
            .Produces<Erasure>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> SearchAsync(string? q, string? cursor, int? limit, SubscriberSearch search,
        CancellationToken cancellationToken = default)
    {
        var size = limit ?? 50;
        if (string.IsNullOrWhiteSpace(q))
            return ApiProblems.Invalid("q", "Give the start of an address or name to search for.");
        if (size is < 1 or > SubscriberSearch.MaxPageSize)
            return ApiProblems.Invalid("limit", $"A page holds 1 to {SubscriberSearch.MaxPageSize} subscribers.");
        try
        {
            var page = await search.SearchAsync(q, cursor, size, cancellationToken);
            return Results.Ok(new SearchPage(page.Matches, page.NextCursor));
        }
        catch (InvalidSearchCursorException)
        {
            return ApiProblems.Invalid("cursor", "This cursor was not returned by a search: search again from the first page.");
        }
    }

    private static async Task<IResult> GetAsync(long id, SubscriberProfiles profiles, CancellationToken cancellationToken = default) =>
        await profiles.FindAsync(id, cancellationToken) is { } profile ? Results.Ok(SubscriberView.Of(profile)) : NoSuchSubscriber(id);

    private static async Task<IResult> ConsentAsync(long id, SubscriberProfiles profiles, CancellationToken cancellationToken = default) =>
        await profiles.FindAsync(id, cancellationToken) is { } profile ? Results.Ok(profile.ConsentTrail) : NoSuchSubscriber(id);

    private static async Task<IResult> UpsertAsync(SubscriberBody body, HttpContext http, SubscriberUpserts upserts, SubscriberProfiles profiles,
        CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        var upsert = Check(body, "", errors);
        if (upsert is null)
            return ApiProblems.Invalid(errors);
        try
        {
            var done = await upserts.UpsertAsync([upsert], Consent(http), new { key = http.User.Identity?.Name }, cancellationToken);
            if (done.Suppressed.Count > 0)
                return ApiProblems.Conflict($"{upsert.Email} is on the suppression list or was erased: it is not subscribed again. Nothing was changed.");
            var view = SubscriberView.Of((await profiles.FindAsync(done.Ids.Values.Single(), cancellationToken))!);
            return done.Created > 0 ? Results.Created($"/api/v1/subscribers/{view.Id}", view) : Results.Ok(view);
        }
        catch (UnknownListException e)
        {
            return ApiProblems.Invalid("lists", e.Message);
        }
    }

    private static async Task<IResult> BatchAsync(BatchBody body, HttpContext http, SubscriberUpserts upserts,
        CancellationToken cancellationToken = default)
    {
        var items = body.Subscribers ?? [];
        if (items.Length is 0 or > SubscriberUpserts.MaxBatch)
            return ApiProblems.Invalid("subscribers", $"Send 1 to {SubscriberUpserts.MaxBatch} subscribers in one batch.");
        var errors = new Dictionary<string, string[]>();
        var batch = new List<SubscriberUpsert>(items.Length);
        for (var i = 0; i < items.Length; i++)
            if (Check(items[i], $"subscribers[{i}].", errors) is { } upsert)
                batch.Add(upsert);
        if (errors.Count > 0)
            return ApiProblems.Invalid(errors);
        try
        {
            var done = await upserts.UpsertAsync(batch, Consent(http), new { key = http.User.Identity?.Name }, cancellationToken);
            return Results.Ok(new BatchResult(batch.Count, done.Created, done.Updated, done.Suppressed, done.ConfirmationsQueued));
        }
        catch (UnknownListException e)
        {
            return ApiProblems.Invalid("lists", e.Message);
        }
    }

    private static async Task<IResult> UnsubscribeAsync(long id, UnsubscribeBody body, HttpContext http, SubscriberProfiles profiles,
        SubscriberStore subscribers, CancellationToken cancellationToken = default)
    {
        if (body.All != true && string.IsNullOrWhiteSpace(body.List))
            return ApiProblems.Invalid("list", "Name the list to unsubscribe from, or give all: true.");
        if (await profiles.FindAsync(id, cancellationToken) is null)
            return NoSuchSubscriber(id);
        if (body.All == true)
            await subscribers.UnsubscribeAllAsync(id, Consent(http), cancellationToken);
        else if (await subscribers.FindListAsync(body.List!.Trim(), cancellationToken) is { } list)
            await subscribers.UnsubscribeAsync(id, list.Id, Consent(http), cancellationToken);
        else
            return ApiProblems.Invalid("list", new UnknownListException([body.List.Trim()]).Message);
        return Results.Ok(SubscriberView.Of((await profiles.FindAsync(id, cancellationToken))!));
    }

    private static async Task<IResult> SuppressAsync(long id, SuppressBody? body, HttpContext http, SubscriberProfiles profiles,
        SubscriberStore subscribers, CancellationToken cancellationToken = default)
    {
        if (await profiles.FindAsync(id, cancellationToken) is not { } profile)
            return NoSuchSubscriber(id);
        var reason = body?.Reason?.Trim() is { Length: > 0 } given ? given[..Math.Min(given.Length, MaxReasonLength)] : null;
        await subscribers.SuppressAsync(profile.Email, "manual", reason, Consent(http), cancellationToken);
        return Results.Ok(SubscriberView.Of((await profiles.FindAsync(id, cancellationToken))!));
    }

    private static async Task<IResult> EraseAsync(long id, HttpContext http, SubscriberProfiles profiles, SubscriberEraser eraser,
        CancellationToken cancellationToken = default)
    {
        if (await profiles.FindAsync(id, cancellationToken) is not { } profile)
            return NoSuchSubscriber(id);
        return Results.Ok(await eraser.EraseAsync(profile.Email, Consent(http), cancellationToken));
    }

    // The address checked by the rule of the form and the import, in its words; field names carry the batch position.
    private static SubscriberUpsert? Check(SubscriberBody body, string at, Dictionary<string, string[]> errors)
    {
        var ok = true;
        if (!EmailAddressRule.TryValidate(body.Email, out var email, out var reason))
        {
            errors[at + "email"] = [reason];
            ok = false;
        }
        var name = body.Name?.Trim() ?? "";
        if (name.Length > MaxNameLength)
        {
            errors[at + "name"] = [$"A name is at most {MaxNameLength} characters."];
            ok = false;
        }
        var lists = (body.Lists ?? []).Select(l => l.Trim()).Distinct().ToList();
        if (lists.FirstOrDefault(l => !ListSlugRule.IsValid(l)) is { } bad)
        {
            errors[at + "lists"] = [$"'{bad}' is not a valid slug: use {ListSlugRule.Description}."];
            ok = false;
        }
        return ok ? new SubscriberUpsert(email, name, JsonSerializer.Serialize(body.Attributes ?? []), lists, body.Confirmed ?? false) : null;
    }

    private static ConsentContext Consent(HttpContext http) => SubscriptionPages.Consent(http, Source);

    private static IResult NoSuchSubscriber(long id) => ApiProblems.NotFound($"There is no subscriber {id}: they may have been erased.");

    /// <param name="Attributes">Merged into the attributes a known subscriber has.</param>
    /// <param name="Lists">Slugs of the lists to subscribe them to; lists they left are not joined again.</param>
    /// <param name="Confirmed">The caller vouches for their consent; otherwise a double opt-in list mails a confirmation first.</param>
    public sealed record SubscriberBody(string? Email, string? Name, Dictionary<string, JsonElement>? Attributes, string[]? Lists, bool? Confirmed);

    public sealed record BatchBody(SubscriberBody[]? Subscribers);

    /// <param name="Suppressed">Addresses left alone: suppressed or erased.</param>
    public sealed record BatchResult(int Received, int Created, int Updated, IReadOnlyList<string> Suppressed, int ConfirmationsQueued);

    public sealed record UnsubscribeBody(string? List, bool? All);

    public sealed record SuppressBody(string? Reason);

    public sealed record SearchPage(IReadOnlyList<SubscriberMatch> Matches, string? NextCursor);

    public sealed record SubscriberView(long Id, string Email, string Name, DateTime CreatedAt, DateTime UpdatedAt,
        IReadOnlyDictionary<string, JsonElement> Attributes, string? Suppression, IReadOnlyList<ProfileSubscription> Lists)
    {
        internal static SubscriberView Of(SubscriberProfile profile) => new(profile.Id, profile.Email, profile.Name, profile.CreatedAt,
            profile.UpdatedAt, profile.Attributes, profile.Suppression, profile.Lists);
    }
}
