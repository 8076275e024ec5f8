using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Newsletter.Bounces;
using Newsletter.Content;
using Newsletter.Issues;
using Newsletter.Preflight;
using Newsletter.Rendering;
using Newsletter.Sending;
using Newsletter.Subscribers;

namespace Newsletter.Api;

/// <summary>
/// <c>/api/v1/sends</c>: send an issue to lists now or at a time (<see cref="SendScheduler"/>, as the CLI's <c>send</c>),
/// follow its progress (<see cref="SendProgress"/>, as <c>sends show</c>), pause, resume or cancel it, and the recent sends.
/// </summary>
public static class SendsApi
{
    internal static void Map(RouteGroupBuilder read, RouteGroupBuilder write)
    {
        read.MapGet("/sends", ListAsync).WithSummary("Sends, newest first, a page at a time; nextCursor fetches older ones.")
            .Produces<SendPage>().ProducesValidationProblem();
        read.MapGet("/sends/{id:long}", GetAsync).WithSummary("A send's progress: counts by state, rate and time left.")
            .Produces<SendView>().ProducesProblem(StatusCodes.Status404NotFound);
        write.MapPost("/sends", CreateAsync)
            .WithSummary("Sends a stored issue to lists, now or at a time (refused if it went to one of them already, unless resend is " +
                         "given), or with test: one test copy to each address (202).")
            .Produces<SendView>(StatusCodes.Status201Created).Produces<IssuesApi.TestQueued>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        write.MapPost("/sends/{id:long}/pause", Control("pause", (scheduler, id, token) => scheduler.PauseAsync(id, token)))
            .WithSummary("Stops claiming new batches; messages under way finish.").Produces<SendView>().ProducesProblem(StatusCodes.Status404NotFound);
        write.MapPost("/sends/{id:long}/resume", Control("resume", (scheduler, id, token) => scheduler.ResumeAsync(id, token)))
            .WithSummary("Continues a paused send.").Produces<SendView>().ProducesProblem(StatusCodes.Status404NotFound);
        write.MapPost("/sends/{id:long}/cancel", Control("cancel", (scheduler, id, token) => scheduler.CancelAsync(id, token)))
            .WithSummary("Stops a send for good; readers not reached are skipped.").Produces<SendView>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(string? cursor, int? limit, SendStore sends, CancellationToken cancellationToken = default)
    {
        var size = limit ?? 50;
        if (size is < 1 or > MaxPageSize)
            return ApiProblems.Invalid("limit", $"A page holds 1 to {MaxPageSize} sends.");
        var before = long.MaxValue;
        if (cursor is not null && !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out before))
            return ApiProblems.Invalid("cursor", "This cursor was not returned by this list: start again from the first page.");
        var rows = await sends.SendsBeforeAsync(before, size + 1, cancellationToken);
        var page = rows.Take(size).Select(s => SendView.Of(s, null, null)).ToList();
        return Results.Ok(new SendPage(page, rows.Count > size ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null));
    }

    private static async Task<IResult> GetAsync(long id, SendStore sends, DeliveryStore deliveries, BounceStore bounces,
        CancellationToken cancellationToken = default) =>
        await ProgressAsync(sends, deliveries, bounces, id, cancellationToken) is { } view ? Results.Ok(view) : NoSuchSend(id);

    private static async Task<IResult> CreateAsync(NewSend body, IssueStore issues, SendScheduler scheduler, SendStore sends,
        DeliveryStore deliveries, BounceStore bounces, TestSends tests, CancellationToken cancellationToken = default)
    {
        var lists = body.Lists ?? [];
        ResendMode resend;
        switch (body.Resend)
        {
            case null or "none": resend = ResendMode.None; break;
            case "missed": resend = ResendMode.Missed; break;
            case "all": resend = ResendMode.All; break;
            default: return ApiProblems.Invalid("resend", $"'{body.Resend}' is not a resend mode: use missed or all.");
        }
        if (string.IsNullOrWhiteSpace(body.Issue))
            return ApiProblems.Invalid("issue", "Name the issue to send by its id or slug.");
        if (await IssuesApi.FindAsync(issues, body.Issue.Trim(), cancellationToken) is not { } issue)
            return IssuesApi.NoSuchIssue(body.Issue.Trim());
        if (body.Test is not null)
            return IssuesApi.QueueTests(tests, issue.Id, body.Test);
        try
        {
            var send = await scheduler.ScheduleAsync(issue.Id, lists, body.At?.UtcDateTime, resend: resend,
                overridePreflight: body.OverridePreflight ?? false, cancellationToken: cancellationToken);
            return Results.Created($"/api/v1/sends/{send.Id}", await ProgressAsync(sends, deliveries, bounces, send.Id, cancellationToken));
        }
        catch (SendRequestException e)
        {
            return ApiProblems.Invalid(lists.Length == 0 ? "lists" : "at", e.Message);
        }
        catch (UnknownListException e)
        {
            return ApiProblems.Invalid("lists", e.Message);
        }
        catch (IssueAlreadySentException e)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "Already sent",
                $"{e.Message} Give resend (missed: to those who did not get it; all: to everyone) to send it again.");
        }
        catch (PreflightFailedException e)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "Preflight failed",
                $"{e.Message} {string.Join(" ", e.Report.Failures.Select(f => $"{f.Check}: {f.Message}"))} " +
                "Fix the issue, or give overridePreflight: true (recorded with the send).");
        }
        catch (Exception e) when (e is IssueFormatException or TemplateException)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "Issue does not render", e.Message);
        }
    }

    /// <summary>The handler of a send's control: <paramref name="apply"/> answers whether the send's state allowed it.</summary>
    private static Func<long, SendScheduler, SendStore, DeliveryStore, BounceStore, CancellationToken, Task<IResult>> Control(
        string change, Func<SendScheduler, long, CancellationToken, Task<bool>> apply) =>
        (id, scheduler, sends, deliveries, bounces, cancellationToken) =>
            ChangeAsync(id, change, sends, deliveries, bounces, () => apply(scheduler, id, cancellationToken), cancellationToken);

    private static async Task<IResult> ChangeAsync(long id, string change, SendStore sends, DeliveryStore deliveries, BounceStore bounces,
        Func<Task<bool>> apply,
        CancellationToken cancellationToken = default)
    {
        if (await apply())
            return Results.Ok(await ProgressAsync(sends, deliveries, bounces, id, cancellationToken));
        var send = await sends.GetSendAsync(id, cancellationToken);
        return send is null
            ? NoSuchSend(id)
            : ApiProblems.Conflict($"Send {id} is {send.Status.Name()}; it cannot be {change}d from there. Nothing was changed.");
    }

    private static async Task<SendView?> ProgressAsync(SendStore sends, DeliveryStore deliveries, BounceStore bounces, long id,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var progress = await SendProgress.ReadAsync(sends, deliveries, id, cancellationToken);
            var back = (await bounces.CountsAsync([id], cancellationToken))[0];
            return SendView.Of(progress.Send, progress, new CameBack(back.Hard, back.Soft, back.Complaints));
        }
        catch (SendRequestException)
        {
            return null;
        }
    }

    public const int MaxPageSize = 200;

    private static IResult NoSuchSend(long id) => ApiProblems.NotFound($"There is no send {id}.");

    /// <param name="Issue">The stored issue's id or slug.</param>
    /// <param name="Lists">The slugs of the lists to send to.</param>
    /// <param name="At">When to start (with its offset); now when left out.</param>
    /// <param name="Resend">Left out: refused if the issue went to a list already; missed: to those it did not reach; all: everyone.</param>
    /// <param name="OverridePreflight">Send although the preflight fails; the failing lines are recorded with the send.</param>
    /// <param name="Test">Instead of a send to lists, one test copy to each address ("Sam &lt;sam@example.com&gt;" or bare).</param>
    public sealed record NewSend(string? Issue, string[]? Lists, DateTimeOffset? At, string? Resend, bool? OverridePreflight, string[]? Test);

    /// <param name="NextCursor">Fetches the next, older page; null on the last.</param>
    public sealed record SendPage(IReadOnlyList<SendView> Sends, string? NextCursor);

    public sealed record DeliveryCounts(int Pending, int Sending, int Sent, int Failed, int Skipped);

    /// <summary>What came back after the relay accepted a message: bounce reports and complaints, each delivery once.</summary>
    public sealed record CameBack(long HardBounces, long SoftBounces, long Complaints);

    /// <param name="Status">scheduled, sending, paused, cancelled or finished.</param>
    /// <param name="Counts">By delivery state; left out of the recent sends' list.</param>
    /// <param name="CameBack">Bounces and complaints so far; left out of the recent sends' list.</param>
    /// <param name="Rate">Messages accepted per second since the first.</param>
    /// <param name="EtaSeconds">Seconds left at that rate, while sending.</param>
    public sealed record SendView(long Id, long IssueId, string IssueSlug, string Status, string? StatusReason, DateTime ScheduledAt,
        DateTime? StartedAt, DateTime? FinishedAt, int? Recipients, DeliveryCounts? Counts, CameBack? CameBack, double? Rate,
        double? EtaSeconds, string? PreflightOverride)
    {
        internal static SendView Of(SendRecord send, SendProgress? progress, CameBack? cameBack) => new(send.Id, send.IssueId, send.IssueSlug, send.Status.Name(),
            send.StatusReason, send.ScheduledAt, send.StartedAt, send.FinishedAt, send.Recipients,
            progress is null
                ? null
                : new DeliveryCounts(progress.Count(DeliveryStatus.Pending), progress.Count(DeliveryStatus.Sending), progress.Count(DeliveryStatus.Sent),
                    progress.Count(DeliveryStatus.Failed), progress.Count(DeliveryStatus.Skipped)),
            cameBack, progress?.Rate, send.Status == SendStatus.Sending ? progress?.Eta?.TotalSeconds : null, send.PreflightOverride);
    }
}
