using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Newsletter.Bounces;
using Newsletter.Content;
using Newsletter.Issues;
using Newsletter.Pages;
using Newsletter.Preflight;
using Newsletter.Rendering;
using Newsletter.Sending;
using Newsletter.Subscribers;

namespace Newsletter.Authoring;

/// <summary>
/// Sending from the author's pages: the editor's test copies and its send to lists (through <see cref="TestSends"/> and
/// <see cref="SendScheduler"/>, as the CLI's <c>send</c>), and <c>/admin/sends</c>: the recent sends, and one send live
/// (<see cref="SendProgress"/>, as <c>sends show</c>) with pause, resume and cancel.
/// </summary>
public static class SendPages
{
    /// <summary>Failed readers shown on one page of a send.</summary>
    public const int FailedPerPage = 100;

    internal static void Map(RouteGroupBuilder pages, RouteGroupBuilder actions)
    {
        pages.MapGet("/sends", ListAsync);
        pages.MapGet("/sends/{id:long}", ShowAsync);
        pages.MapGet("/sends/{id:long}/progress", ProgressAsync);
        actions.MapPost("/sends/{id:long}/pause", (long id, SendScheduler scheduler, SendStore sends, CancellationToken cancellationToken) =>
            ChangeAsync(id, "pause", sends, () => scheduler.PauseAsync(id, cancellationToken), cancellationToken));
        actions.MapPost("/sends/{id:long}/resume", (long id, SendScheduler scheduler, SendStore sends, CancellationToken cancellationToken) =>
            ChangeAsync(id, "resume", sends, () => scheduler.ResumeAsync(id, cancellationToken), cancellationToken));
        actions.MapPost("/sends/{id:long}/cancel", (long id, SendScheduler scheduler, SendStore sends, CancellationToken cancellationToken) =>
            ChangeAsync(id, "cancel", sends, () => scheduler.CancelAsync(id, cancellationToken), cancellationToken));
        actions.MapPost("/issues/{id:long}/test", TestAsync);
        actions.MapPost("/issues/{id:long}/send", SendAsync);
    }

    private static async Task<IResult> TestAsync(long id, HttpContext http, IssueStore issues, TestSends tests,
        CancellationToken cancellationToken = default)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var to = form["to"].ToString();
        if (await issues.FindIssueAsync(id, cancellationToken) is null)
            return IssuePages.NoSuchIssue();
        try
        {
            var queued = tests.EnqueueAll(id, to);
            return Results.Redirect($"/admin/issues/{id}?tested={queued.Count}#send");
        }
        catch (SendRequestException e)
        {
            return await IssuePages.EditorAsync(http, id, null, null, new EditorNotes { TestTo = to, TestProblem = e.Message },
                StatusCodes.Status422UnprocessableEntity, cancellationToken);
        }
    }

    private static async Task<IResult> SendAsync(long id, HttpContext http, IssueStore issues, SendScheduler scheduler,
        CancellationToken cancellationToken = default)
    {
        var posted = SendForm.Of(await http.Request.ReadFormAsync(cancellationToken));
        if (await issues.FindIssueAsync(id, cancellationToken) is null)
            return IssuePages.NoSuchIssue();
        string problem;
        var status = StatusCodes.Status422UnprocessableEntity;
        try
        {
            var at = posted.When == "at" ? LocalMoment.ToUtc(posted.Date, posted.Time, posted.Zone) : (DateTime?)null;
            var send = await scheduler.ScheduleAsync(id, posted.Lists, at, overridePreflight: posted.OverridePreflight,
                cancellationToken: cancellationToken);
            return Results.Redirect($"/admin/sends/{send.Id}");
        }
        catch (PreflightFailedException e)
        {
            problem = $"{e.Message} Nothing was sent. Fix the failing lines, or tick “Send anyway” to send it as it is.";
        }
        catch (IssueAlreadySentException e)
        {
            problem = $"{e.Message} Nothing was sent.";
            status = StatusCodes.Status409Conflict;
        }
        catch (Exception e) when (e is SendRequestException or UnknownListException)
        {
            problem = $"{e.Message} Nothing was sent.";
        }
        catch (IssueFormatException e)
        {
            problem = $"The issue does not read ({e.Message}); fix it before sending. Nothing was sent.";
        }
        catch (TemplateException e)
        {
            problem = $"The templates failed: {e.Message} Nothing was sent.";
        }
        return await IssuePages.EditorAsync(http, id, null, null, new EditorNotes { Send = posted, SendProblem = problem }, status,
            cancellationToken);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IAntiforgery antiforgery, SendStore sends, BounceStore bounces,
        CancellationToken cancellationToken = default)
    {
        var list = await sends.ListSendsAsync(cancellationToken);
        return PageResults.Page<SendListPage>(StatusCodes.Status200OK, new
        {
            Session = AdminSession.Of(http, antiforgery),
            Sends = list,
            Bounces = (await bounces.CountsAsync(list.Select(s => s.Id).ToList(), cancellationToken)).ToDictionary(c => c.SendId),
        });
    }

    private static async Task<IResult> ShowAsync(long id, HttpContext http, IAntiforgery antiforgery, SendStore sends,
        DeliveryStore deliveries, BounceStore bounces, int? page, CancellationToken cancellationToken = default)
    {
        if (await ProgressOfAsync(sends, deliveries, id, cancellationToken) is not { } progress)
            return NoSuchSend();
        var pageNumber = Math.Max(1, page ?? 1);
        return PageResults.Page<SendPage>(StatusCodes.Status200OK, new
        {
            Session = AdminSession.Of(http, antiforgery),
            Progress = progress,
            Figures = SendFigures.Of(progress),
            Failed = await deliveries.FailedAsync(id, (pageNumber - 1) * FailedPerPage, FailedPerPage, cancellationToken),
            FailedPage = pageNumber,
            Bounces = (await bounces.CountsAsync([id], cancellationToken))[0],
        });
    }

    /// <summary>The figures of the send page as JSON, for its script to refresh them every two seconds.</summary>
    private static async Task<IResult> ProgressAsync(long id, SendStore sends, DeliveryStore deliveries,
        CancellationToken cancellationToken = default) =>
        await ProgressOfAsync(sends, deliveries, id, cancellationToken) is { } progress
            ? TypedResults.Ok(SendFigures.Of(progress))
            : TypedResults.NotFound();

    private static async Task<SendProgress?> ProgressOfAsync(SendStore sends, DeliveryStore deliveries, long id,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendProgress.ReadAsync(sends, deliveries, id, cancellationToken);
        }
        catch (SendRequestException)
        {
            return null;
        }
    }

    private static async Task<IResult> ChangeAsync(long id, string change, SendStore sends, Func<Task<bool>> apply,
        CancellationToken cancellationToken = default)
    {
        if (await apply())
            return Results.Redirect($"/admin/sends/{id}");
        var send = await sends.GetSendAsync(id, cancellationToken);
        return send is null
            ? NoSuchSend()
            : PageResults.Message(StatusCodes.Status409Conflict, "Not changed",
                $"Send {id} is {send.Status.Name()}; it cannot be {change}d from there. Nothing was changed.", $"/admin/sends/{id}", "Back to the send");
    }

    private static IResult NoSuchSend() =>
        PageResults.Message(StatusCodes.Status404NotFound, "No such send", "There is no send at this address.", "/admin/sends", "All sends");

    /// <summary>The time of a send's moment as the pages print it.</summary>
    internal static string Moment(DateTime? at) =>
        at is { } moment ? moment.ToUniversalTime().ToString("d MMM yyyy, HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "–";
}
