using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Newsletter.Subscribers;

namespace Newsletter.Api;

/// <summary>
/// <c>/api/v1/suppressions</c>: the addresses never mailed, a page at a time by cursor; add one (reason <c>manual</c>) or
/// take one off. Addresses travel in bodies, not URLs, so they stay out of access logs.
/// </summary>
public static class SuppressionsApi
{
    public const int MaxPageSize = 500;

    internal static void Map(RouteGroupBuilder read, RouteGroupBuilder write)
    {
        read.MapGet("/suppressions", ListAsync).WithSummary("Suppressed addresses in address order; nextCursor fetches the next page.")
            .Produces<SuppressionPage>().ProducesValidationProblem();
        write.MapPost("/suppressions", AddAsync).WithSummary("Suppresses an address (201; 200 when it already was, keeping its first reason).")
            .Produces<Suppressed>().Produces<Suppressed>(StatusCodes.Status201Created).ProducesValidationProblem();
        write.MapPost("/suppressions/remove", RemoveAsync)
            .WithSummary("Takes an address off the suppression list; it is not subscribed again until it signs up.")
            .Produces<Suppressed>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(string? cursor, int? limit, SuppressionStore suppressions, CancellationToken cancellationToken = default)
    {
        var size = limit ?? 100;
        if (size is < 1 or > MaxPageSize)
            return ApiProblems.Invalid("limit", $"A page holds 1 to {MaxPageSize} addresses.");
        var after = "";
        if (cursor is not null && !TryDecode(cursor, out after))
            return ApiProblems.Invalid("cursor", "This cursor was not returned by this list: start again from the first page.");
        var rows = await suppressions.PageAsync(after, size + 1, cancellationToken);
        var page = rows.Take(size).ToList();
        return Results.Ok(new SuppressionPage(page, rows.Count > size ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes(page[^1].Email)) : null));
    }

    private static async Task<IResult> AddAsync(AddressBody body, HttpContext http, SubscriberStore subscribers,
        CancellationToken cancellationToken = default)
    {
        if (!EmailAddressRule.TryValidate(body.Email, out var email, out var reason))
            return ApiProblems.Invalid("email", reason);
        var detail = body.Reason?.Trim() is { Length: > 0 } given ? given[..Math.Min(given.Length, SubscribersApi.MaxReasonLength)] : null;
        var added = await subscribers.SuppressAsync(email, "manual", detail, SubscriptionPages.Consent(http, SubscribersApi.Source), cancellationToken);
        return added ? Results.Created((string?)null, new Suppressed(email, true)) : Results.Ok(new Suppressed(email, true));
    }

    private static async Task<IResult> RemoveAsync(AddressBody body, HttpContext http, SuppressionStore suppressions,
        CancellationToken cancellationToken = default)
    {
        if (!EmailAddressRule.TryValidate(body.Email, out var email, out var reason))
            return ApiProblems.Invalid("email", reason);
        return await suppressions.RemoveAsync(email, SubscriptionPages.Consent(http, SubscribersApi.Source), cancellationToken)
            ? Results.Ok(new Suppressed(email, false))
            : ApiProblems.NotFound($"{email} is not on the suppression list.");
    }

    private static bool TryDecode(string cursor, out string after)
    {
        after = "";
        try
        {
            after = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(cursor));
            return true;
        }
        // Not base64url, or (an ArgumentException) bytes that are not UTF-8.
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }

    /// <param name="Reason">Kept with a new suppression, for the people who read the list.</param>
    public sealed record AddressBody(string? Email, string? Reason);

    public sealed record Suppressed(string Email, bool IsSuppressed);

    public sealed record SuppressionPage(IReadOnlyList<SuppressionRecord> Suppressions, string? NextCursor);
}
