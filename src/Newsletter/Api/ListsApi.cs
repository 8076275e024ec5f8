using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Newsletter.Subscribers;

namespace Newsletter.Api;

/// <summary><c>/api/v1/lists</c>: the lists with their counts, a new list and a change to one, as <c>lists create</c> and <c>lists show</c>.</summary>
public static class ListsApi
{
    internal static void Map(RouteGroupBuilder read, RouteGroupBuilder write)
    {
        read.MapGet("/lists", ListAsync).WithSummary("Every list with its subscription counts.")
            .Produces<ListView[]>();
        read.MapGet("/lists/{slug}", GetAsync).WithSummary("One list with its subscription counts.")
            .Produces<ListView>().ProducesProblem(StatusCodes.Status404NotFound);
        write.MapPost("/lists", CreateAsync).WithSummary("Creates a list (double opt-in unless doubleOptIn is false).")
            .Produces<ListView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        write.MapPatch("/lists/{slug}", UpdateAsync).WithSummary("Changes a list's name, description or opt-in; fields left out stay.")
            .Produces<ListView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(SubscriberStore subscribers, CancellationToken cancellationToken = default) =>
        Results.Ok((await subscribers.ListSummariesAsync(cancellationToken)).Select(ListView.Of).ToArray());

    private static async Task<IResult> GetAsync(string slug, SubscriberStore subscribers, CancellationToken cancellationToken = default) =>
        await SummaryAsync(subscribers, slug, cancellationToken) is { } list ? Results.Ok(list) : NoSuchList(slug);

    private static async Task<IResult> CreateAsync(NewList body, SubscriberStore subscribers, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        var slug = body.Slug?.Trim() ?? "";
        if (!ListSlugRule.IsValid(slug))
            errors["slug"] = [slug.Length == 0 ? "Give the list a slug." : $"'{slug}' is not a valid slug: use {ListSlugRule.Description}."];
        if (string.IsNullOrWhiteSpace(body.Name))
            errors["name"] = ["Give the list the name subscribers will see."];
        if (errors.Count > 0)
            return ApiProblems.Invalid(errors);
        if (await subscribers.CreateListAsync(slug, body.Name!.Trim(), body.Description?.Trim() ?? "", body.DoubleOptIn ?? true,
                cancellationToken) is null)
            return ApiProblems.Conflict($"There is already a list '{slug}'.");
        var created = (await SummaryAsync(subscribers, slug, cancellationToken))!;
        return Results.Created($"/api/v1/lists/{slug}", created);
    }

    private static async Task<IResult> UpdateAsync(string slug, ListChange body, SubscriberStore subscribers,
        CancellationToken cancellationToken = default)
    {
        if (body.Name is not null && string.IsNullOrWhiteSpace(body.Name))
            return ApiProblems.Invalid("name", "Give the list the name subscribers will see.");
        if (await subscribers.UpdateListAsync(slug, body.Name?.Trim(), body.Description?.Trim(), body.DoubleOptIn, cancellationToken) is null)
            return NoSuchList(slug);
        return Results.Ok(await SummaryAsync(subscribers, slug, cancellationToken));
    }

    private static async Task<ListView?> SummaryAsync(SubscriberStore subscribers, string slug, CancellationToken cancellationToken = default) =>
        (await subscribers.ListSummariesAsync(cancellationToken)).Where(l => l.Slug == slug).Select(ListView.Of).FirstOrDefault();

    internal static IResult NoSuchList(string slug) => ApiProblems.NotFound($"No list with the slug '{slug}'.");

    /// <param name="DoubleOptIn">Sign-ups confirm by mail first; true when left out.</param>
    public sealed record NewList(string? Slug, string? Name, string? Description, bool? DoubleOptIn);

    public sealed record ListChange(string? Name, string? Description, bool? DoubleOptIn);

    public sealed record ListView(string Slug, string Name, string Description, bool DoubleOptIn, long Confirmed, long Unconfirmed, long Unsubscribed)
    {
        internal static ListView Of(ListSummary list) =>
            new(list.Slug, list.Name, list.Description, list.DoubleOptIn, list.Confirmed, list.Unconfirmed, list.Unsubscribed);
    }
}
