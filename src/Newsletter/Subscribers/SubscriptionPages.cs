using System.Text.Json;
using System.Threading.RateLimiting;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Pages;

namespace Newsletter.Subscribers;

/// <summary>
/// The public pages: sign-up, confirmation, unsubscribe (RFC 8058 one-click) and preferences. No
/// cookies, no antiforgery (the links themselves are the credentials), a rate limit per client
/// address, a small body limit. A GET of a link in a mail changes nothing; its page's button POSTs.
/// </summary>
public static class SubscriptionPages
{
    private const string SubscribeRateLimit = "subscribe";
    private const string LinkRateLimit = "subscription-links";
    private const int MaxNameLength = 200;
    private const string UnreadableForm = "The form could not be read.";
    private const string Accepted = "Thanks! If the address can receive mail, a message is on its way: please check your inbox.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal static IServiceCollection AddSubscriptionRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SubscribeRateLimit, context => PerClient(context, o => o.SubscribeRequestsPerMinute));
            limiter.AddPolicy(LinkRateLimit, context => PerClient(context, o => o.LinkRequestsPerMinute));
        });
        return services;
    }

    public static WebApplication MapSubscriptionPages(this WebApplication app)
    {
        app.UseRateLimiter();
        var pages = app.MapGroup("").AddEndpointFilter(LimitBodyAsync).DisableAntiforgery();
        pages.MapGet("/subscribe", SignUpPageAsync).RequireRateLimiting(LinkRateLimit);
        pages.MapPost("/subscribe", SubscribeAsync).RequireRateLimiting(SubscribeRateLimit);
        pages.MapGet("/subscribe/confirm", ConfirmPageAsync).RequireRateLimiting(LinkRateLimit);
        pages.MapPost("/subscribe/confirm", ConfirmAsync).RequireRateLimiting(LinkRateLimit);
        pages.MapGet("/unsubscribe", UnsubscribePageAsync).RequireRateLimiting(LinkRateLimit);
        pages.MapPost("/unsubscribe", UnsubscribeAsync).RequireRateLimiting(LinkRateLimit);
        pages.MapGet("/preferences", PreferencesAsync).RequireRateLimiting(LinkRateLimit);
        return app;
    }

    private static RateLimitPartition<string> PerClient(HttpContext context, Func<SubscribersOptions, int> perMinute)
    {
        var limit = perMinute(context.RequestServices.GetRequiredService<IOptions<SubscribersOptions>>().Value);
        return RateLimitPartition.GetFixedWindowLimiter(ClientIp(context) ?? "unknown", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }

    private static async Task<IResult> SignUpPageAsync(string? list, SubscriberStore store, CancellationToken cancellationToken = default)
    {
        var found = string.IsNullOrWhiteSpace(list) ? null : await store.FindListAsync(list.Trim(), cancellationToken);
        return found is null
            ? PageResults.Message(StatusCodes.Status404NotFound, "Subscribe", "There is no such list.")
            : PageResults.Page<SubscriptionSignUpPage>(StatusCodes.Status200OK, new { List = found });
    }

    private static async Task<IResult> SubscribeAsync(HttpContext http, SubscriberStore store, IBackgroundJobClient jobs,
        ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        var json = http.Request.HasJsonContentType();
        SubscribeRequest? request;
        try
        {
            request = json
                ? await http.Request.ReadFromJsonAsync<SubscribeRequest>(Json, cancellationToken)
                : http.Request.HasFormContentType
                    ? await ReadFormAsync(http.Request, cancellationToken) is { } form ? ReadForm(form) : null
                    : null;
        }
        catch (JsonException)
        {
            request = null;
        }
        if (request is null)
            return Answer(json, StatusCodes.Status400BadRequest, UnreadableForm + " Send the form fields email, name and list.");

        if (!string.IsNullOrEmpty(request.Website))
        {
            // A bot filled the hidden field: look like success, do nothing.
            loggers.CreateLogger(typeof(SubscriptionPages)).LogInformation("Ignored a sign-up with the honeypot field filled from {Ip}", ClientIp(http));
            return Answer(json, StatusCodes.Status200OK, Accepted);
        }
        if (!EmailAddressRule.TryValidate(request.Email, out var email, out var reason))
            return Answer(json, StatusCodes.Status400BadRequest, $"Please check the email address: {reason}.");
        var list = string.IsNullOrWhiteSpace(request.List) ? null : await store.FindListAsync(request.List.Trim(), cancellationToken);
        if (list is null)
            return Answer(json, StatusCodes.Status404NotFound, "There is no such list.");

        var name = CleanName(request.Name);
        var result = await store.SubscribeAsync(list, email, name, Consent(http, "form"), cancellationToken);
        switch (result.Outcome)
        {
            case SubscribeOutcome.ConfirmationNeeded:
                jobs.Enqueue<SendConfirmationJob>(job => job.RunAsync(result.SubscriberId!.Value, list.Id, CancellationToken.None));
                break;
            case SubscribeOutcome.Confirmed:
                jobs.Enqueue<SendWelcomeJob>(job => job.RunAsync(result.SubscriberId!.Value, list.Id, CancellationToken.None));
                break;
        }
        // The same answer whatever happened, so the form cannot tell who is subscribed or suppressed.
        return Answer(json, StatusCodes.Status200OK, Accepted);
    }

    private static async Task<IResult> ConfirmPageAsync(string? token, SubscriptionTokens tokens, SubscriberStore store,
        IOptions<SubscribersOptions> options, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        // A GET changes nothing: mail scanners open every link, so only the page's button confirms.
        if (!tokens.TryRead(token, TokenPurpose.Confirm, out var confirm))
            return InvalidLink();
        if (confirm.IsExpired(clock.GetUtcNow()))
            return ExpiredConfirmation();
        var state = await store.ConfirmationStateAsync(confirm.SubscriberId, confirm.ListId, IssuedAt(confirm, options.Value), cancellationToken);
        if (state == SubscriptionStatus.Confirmed)
            return Confirmed();
        if (state != "pending")
            return NoLongerPending();
        var email = await store.SubscriberEmailAsync(confirm.SubscriberId, cancellationToken);
        // Housekeeping may have dropped the sign-up since the state was read.
        var list = (await store.SubscriberListsAsync(confirm.SubscriberId, cancellationToken)).FirstOrDefault(l => l.ListId == confirm.ListId);
        return email is null || list is null
            ? NoLongerPending()
            : PageResults.Page<SubscriptionConfirmPage>(StatusCodes.Status200OK,
                new { FormAction = $"/subscribe/confirm?token={token}", Email = AddressHint.Of(email), ListName = list.Name });
    }

    private static async Task<IResult> ConfirmAsync(HttpContext http, string? token, SubscriptionTokens tokens, SubscriberStore store,
        IBackgroundJobClient jobs, IOptions<SubscribersOptions> options, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        if (!tokens.TryRead(token, TokenPurpose.Confirm, out var confirm))
            return InvalidLink();
        if (confirm.IsExpired(clock.GetUtcNow()))
            return ExpiredConfirmation();

        var outcome = await store.ConfirmAsync(confirm.SubscriberId, confirm.ListId, IssuedAt(confirm, options.Value),
            Consent(http, "confirm-link"), cancellationToken);
        if (outcome == ConfirmOutcome.Confirmed)
            jobs.Enqueue<SendWelcomeJob>(job => job.RunAsync(confirm.SubscriberId, confirm.ListId, CancellationToken.None));
        return outcome == ConfirmOutcome.NotPending ? NoLongerPending() : Confirmed();
    }

    /// <summary>When the confirmation mail made the link: it expires a fixed time after. A link without expiry counts as old.</summary>
    private static DateTimeOffset IssuedAt(SubscriptionToken confirm, SubscribersOptions options) =>
        confirm.ExpiresAt?.AddHours(-options.ConfirmationLinkHours) ?? DateTimeOffset.MinValue;

    private static IResult Confirmed() =>
        PageResults.Message(StatusCodes.Status200OK, "Subscribed", "Thank you: your subscription is confirmed.");

    private static IResult NoLongerPending() => PageResults.Message(StatusCodes.Status400BadRequest, "Link no longer valid",
        "This sign-up is no longer waiting for confirmation. Please sign up again.");

    private static IResult ExpiredConfirmation() => PageResults.Message(StatusCodes.Status400BadRequest, "Link expired",
        "This confirmation link has expired. Please sign up again to get a fresh one.");

    private static async Task<IResult> UnsubscribePageAsync(string? token, SubscriptionTokens tokens, SubscriptionLinks links,
        SubscriberStore store, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        // A GET changes nothing: mail scanners open every link.
        if (!tokens.TryRead(token, TokenPurpose.Unsubscribe, out var unsubscribe))
            return InvalidLink();
        if (unsubscribe.IsExpired(clock.GetUtcNow()))
            return ExpiredLink();
        var email = await store.SubscriberEmailAsync(unsubscribe.SubscriberId, cancellationToken);
        if (email is null)
            return PageResults.Message(StatusCodes.Status200OK, "Unsubscribe", "This address is not on any of our lists.");
        var lists = await store.SubscriberListsAsync(unsubscribe.SubscriberId, cancellationToken);
        var listName = lists.FirstOrDefault(l => l.ListId == unsubscribe.ListId)?.Name ?? "this list";
        return PageResults.Page<SubscriptionUnsubscribePage>(StatusCodes.Status200OK, new
        {
            FormAction = $"/unsubscribe?token={token}",
            Email = AddressHint.Of(email),
            ListName = listName,
            PreferencesHref = links.PreferencesPath(unsubscribe.SubscriberId),
        });
    }

    private static async Task<IResult> UnsubscribeAsync(HttpContext http, string? token, SubscriptionTokens tokens, SubscriptionLinks links,
        SubscriberStore store, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        if (!tokens.TryRead(token, TokenPurpose.Unsubscribe, out var unsubscribe))
            return InvalidLink();
        if (unsubscribe.IsExpired(clock.GetUtcNow()))
            return ExpiredLink();
        var form = http.Request.HasFormContentType ? await ReadFormAsync(http.Request, cancellationToken) : FormCollection.Empty;
        if (form is null)
            return PageResults.Message(StatusCodes.Status400BadRequest, "Unsubscribe failed",
                UnreadableForm + " Please use the button on the unsubscribe page.");
        var oneClick = form["List-Unsubscribe"] == "One-Click";
        var context = Consent(http, oneClick ? "one-click" : "unsubscribe-page");
        var everything = !oneClick && form["scope"] == "all";
        if (everything)
            await store.UnsubscribeAllAsync(unsubscribe.SubscriberId, context, cancellationToken);
        else
            await store.UnsubscribeAsync(unsubscribe.SubscriberId, unsubscribe.ListId, context, cancellationToken);
        return PageResults.Message(StatusCodes.Status200OK, "Unsubscribed",
            everything ? "You are unsubscribed from everything; we will not write again." : "You are unsubscribed from this list.",
            links.PreferencesPath(unsubscribe.SubscriberId), "See all your lists");
    }

    private static async Task<IResult> PreferencesAsync(string? token, SubscriptionTokens tokens, SubscriptionLinks links,
        SubscriberStore store, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        if (!tokens.TryRead(token, TokenPurpose.Preferences, out var preferences))
            return InvalidLink();
        if (preferences.IsExpired(clock.GetUtcNow()))
            return ExpiredLink();
        var email = await store.SubscriberEmailAsync(preferences.SubscriberId, cancellationToken);
        if (email is null)
            return PageResults.Message(StatusCodes.Status200OK, "Your lists", "This address is not on any of our lists.");
        // Whoever holds a forwarded mail sees this page: only what unsubscribing needs, not the lists already left.
        var active = (await store.SubscriberListsAsync(preferences.SubscriberId, cancellationToken))
            .Where(l => l.Status != SubscriptionStatus.Unsubscribed).ToList();
        var rows = active.Select(l => (l, links.UnsubscribePath(preferences.SubscriberId, l.ListId))).ToList();
        return PageResults.Page<SubscriptionPreferencesPage>(StatusCodes.Status200OK, new
        {
            Email = AddressHint.Of(email),
            Lists = (IReadOnlyList<(SubscriberSubscription, string)>)rows,
            UnsubscribeAllAction = active.Count == 0 ? null : links.UnsubscribePath(preferences.SubscriberId, active[0].ListId),
        });
    }

    /// <summary>A body over the limit is refused here when its length is declared, or by the server as it is read (UnreadableRequests answers).</summary>
    private static ValueTask<object?> LimitBodyAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var limit = http.RequestServices.GetRequiredService<IOptions<SubscribersOptions>>().Value.MaxBodyBytes;
        if (http.Request.ContentLength > limit)
            return ValueTask.FromResult<object?>(PageResults.Message(StatusCodes.Status413PayloadTooLarge, "Request too large", UnreadableRequests.TooLarge));
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;
        return next(invocation);
    }

    /// <summary>
    /// The posted form, or null when it cannot be read: a multipart body without its boundary, or more or
    /// longer fields than ASP.NET reads. Those throw, and a hostile post must get a 400, not a 500.
    /// </summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException
                                  || (e is IOException && e is not BadHttpRequestException))
        {
            return null;
        }
    }

    private static SubscribeRequest ReadForm(IFormCollection form) =>
        new(form["email"].ToString(), form["name"].ToString(), form["list"].ToString(), form["website"].ToString());

    private static string CleanName(string? name)
    {
        var clean = new string((name ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length > MaxNameLength ? clean[..MaxNameLength] : clean;
    }

    /// <summary>The client of a consent change, as the trail records it: its address and browser.</summary>
    internal static ConsentContext Consent(HttpContext http, string source)
    {
        var agent = http.Request.Headers.UserAgent.ToString();
        return new ConsentContext(source, ClientIp(http), agent.Length == 0 ? null : agent[..Math.Min(agent.Length, 512)]);
    }

    private static string? ClientIp(HttpContext http) => ClientAddress.Of(http)?.ToString();

    private static IResult ExpiredLink() => PageResults.Message(StatusCodes.Status400BadRequest, "Link expired",
        "This link has expired: please use the link in a more recent mail.");

    private static IResult InvalidLink() => PageResults.Message(StatusCodes.Status400BadRequest, "Invalid link",
        "This link is not valid: it may have been cut short when copied. Please use the link from the mail exactly as it is.");

    private static IResult Answer(bool json, int status, string message) => json
        ? Results.Json(new { message }, statusCode: status)
        : PageResults.Message(status, status == StatusCodes.Status200OK ? "Almost done" : "Sign-up failed", message);
}
