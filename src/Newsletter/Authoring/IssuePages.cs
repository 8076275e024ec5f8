using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Content;
using Newsletter.Issues;
using Newsletter.Operations;
using Newsletter.Pages;
using Newsletter.Preflight;
using Newsletter.Rendering;
using Newsletter.Sending;
using Newsletter.Subscribers;

namespace Newsletter.Authoring;

/// <summary>
/// <c>/admin/issues</c>: the list, a new issue (pasted or uploaded), one issue's editor with its previews, its
/// preflight (<see cref="IssuePreflight"/>, as the CLI's <c>preflight</c>) and its send panel (<see cref="SendPages"/>),
/// and marking it ready. Issues are stored through <see cref="IssueLibrary"/>, as the CLI's <c>issues add</c>
/// does, and previewed through <see cref="IssuePreviews"/>, the send's own rendering and message builder.
/// </summary>
public static class IssuePages
{
    /// <summary>Names a pasted issue in problems; the editor shows the line, so the name is seldom seen.</summary>
    private const string PastedIssue = "issue";

    /// <summary>
    /// The preview document may show nothing but the mail: no script, no form, no plugin, no framing but by
    /// our own pages; images load from anywhere, as in a mail program.
    /// </summary>
    private const string PreviewPolicy =
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-ancestors 'self'";

    internal static void Map(RouteGroupBuilder pages, RouteGroupBuilder actions)
    {
        pages.MapGet("/issues", ListAsync);
        pages.MapGet("/issues/new", New);
        pages.MapGet("/issues/{id:long}", EditAsync);
        pages.MapGet("/issues/{id:long}/preview", PreviewAsync);
        actions.MapPost("/issues", CreateAsync);
        actions.MapPost("/issues/{id:long}", SaveAsync);
        actions.MapPost("/issues/{id:long}/ready", MarkReadyAsync);
        actions.MapPost("/issues/preview", LivePreviewAsync);
        actions.MapPost("/issues/preflight", LivePreflightAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IAntiforgery antiforgery, IssueStore issues, string? state,
        CancellationToken cancellationToken = default)
    {
        IssueState? filter = IssueStateNames.TryParse(state, out var parsed) ? parsed : null;
        var all = await issues.IssueSummariesAsync(cancellationToken);
        return PageResults.Page<IssueListPage>(StatusCodes.Status200OK, new
        {
            Session = AdminSession.Of(http, antiforgery),
            Issues = filter is null ? all : all.Where(i => i.State == filter).ToList(),
            State = filter,
        });
    }

    private static IResult New(HttpContext http, IAntiforgery antiforgery) =>
        PageResults.Page<IssueNewPage>(StatusCodes.Status200OK, new { Session = AdminSession.Of(http, antiforgery) });

    private static async Task<IResult> CreateAsync(HttpContext http, IAntiforgery antiforgery, IssueLibrary library,
        CancellationToken cancellationToken = default)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var file = form.Files.GetFile("file");
        var source = form["source"].ToString();
        var name = PastedIssue;
        if (file is { Length: > 0 })
        {
            name = Path.GetFileName(file.FileName);
            using var bytes = new MemoryStream();
            await file.CopyToAsync(bytes, cancellationToken);
            try
            {
                source = IssueReader.Decode(bytes.ToArray(), name);
            }
            catch (IssueFormatException e)
            {
                // Not text: there is no line to quote, and the pasted text (if any) is not what was refused.
                return NewAgain(http, antiforgery, source, IssueProblem.Of(e, null));
            }
        }

        try
        {
            var issue = await library.CreateIssueAsync(source, name, cancellationToken);
            return Results.Redirect($"/admin/issues/{issue.Id}");
        }
        catch (IssueFormatException e)
        {
            return NewAgain(http, antiforgery, source, IssueProblem.Of(e, source));
        }
        catch (IssueSlugTakenException e)
        {
            return NewAgain(http, antiforgery, source, new IssueProblem(0,
                $"another issue already has the slug '{e.Slug}': edit that one, or give this one its own 'slug:' or title", null),
                StatusCodes.Status409Conflict);
        }
    }

    private static IResult NewAgain(HttpContext http, IAntiforgery antiforgery, string source, IssueProblem problem,
        int status = StatusCodes.Status422UnprocessableEntity) =>
        PageResults.Page<IssueNewPage>(status, new { Session = AdminSession.Of(http, antiforgery), Source = source, Problem = problem });

    private static Task<IResult> EditAsync(long id, HttpContext http, string? @as, string? tab, string? saved, int? tested,
        CancellationToken cancellationToken = default) =>
        EditorAsync(http, id, @as, tab, new EditorNotes
        {
            Saved = saved is not null,
            TestNote = tested is > 0 ? $"Test cop{(tested == 1 ? "y" : "ies")} queued for {tested} address{(tested == 1 ? "" : "es")}; " +
                $"{(tested == 1 ? "it arrives" : "they arrive")} in a moment." : null,
        }, StatusCodes.Status200OK, cancellationToken);

    /// <summary>
    /// The editor of a stored issue with its previews as the reader <paramref name="as"/> names, its preflight and its send
    /// panel, plus what an action wants to say there (<paramref name="notes"/>): also how a refused send is answered.
    /// </summary>
    internal static async Task<IResult> EditorAsync(HttpContext http, long id, string? @as, string? tab, EditorNotes notes, int status,
        CancellationToken cancellationToken = default)
    {
        var services = http.RequestServices;
        var issues = services.GetRequiredService<IssueStore>();
        var issue = await issues.FindIssueAsync(id, cancellationToken);
        if (issue is null)
            return NoSuchIssue();
        var reader = services.GetRequiredService<IssueReader>();
        var (identity, readerNote) = await ReaderAsync(http, services.GetRequiredService<SubscriberStore>(), @as, cancellationToken);
        var (preview, problem) = await PreviewOfAsync(reader, services.GetRequiredService<IssuePreviews>(), issue.Source, identity,
            cancellationToken);
        var (report, preflightProblem) = problem is null
            ? await PreflightAsync(services.GetRequiredService<IssuePreflight>(), reader, issue, cancellationToken)
            : (null, "Preflight runs once the issue reads: fix the line shown above the editor.");
        return PageResults.Page<IssueEditPage>(status, new
        {
            Session = AdminSession.Of(http, services.GetRequiredService<IAntiforgery>()),
            Issue = issue,
            State = await StateAsync(issues, id, cancellationToken),
            Source = issue.Source,
            Problem = problem,
            Preview = preview,
            Reader = identity,
            As = @as?.Trim() ?? "",
            ReaderNote = readerNote,
            Tab = tab == "text" ? "text" : "html",
            Notes = notes,
            Preflight = report,
            PreflightProblem = preflightProblem,
            Lists = await services.GetRequiredService<SubscriberStore>().ListSummariesAsync(cancellationToken),
        });
    }

    private static async Task<(PreflightReport? Report, string? Problem)> PreflightAsync(IssuePreflight preflight, IssueReader reader,
        IssueRecord issue, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await preflight.RunAsync(reader.Parse(issue.Source, issue.Slug), cancellationToken), null);
        }
        catch (TemplateException e)
        {
            return (null, "The templates failed: " + e.Message);
        }
    }

    /// <summary>
    /// The preflight panel for the editor's unsaved text, which the editor's script swaps in a moment after typing stops,
    /// so the author sees a check fail while still writing; a send still checks the saved issue.
    /// </summary>
    private static async Task<IResult> LivePreflightAsync(HttpContext http, IssueReader reader, IssuePreflight preflight,
        CancellationToken cancellationToken = default)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var source = form["source"].ToString();
        PreflightReport? report = null;
        string? problem;
        try
        {
            report = await preflight.RunAsync(reader.Parse(source, PastedIssue), cancellationToken);
            problem = null;
        }
        catch (IssueFormatException)
        {
            problem = "Preflight runs once the issue reads: fix the line shown above the editor.";
        }
        catch (TemplateException e)
        {
            problem = "The templates failed: " + e.Message;
        }
        return PageResults.Page<PreflightPanel>(StatusCodes.Status200OK, new { Report = report, Problem = problem, Unsaved = true });
    }

    private static async Task<IResult> SaveAsync(long id, HttpContext http, IAntiforgery antiforgery, IssueStore issues,
        IssueLibrary library, CancellationToken cancellationToken = default)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var source = form["source"].ToString();
        IssueProblem problem;
        var status = StatusCodes.Status422UnprocessableEntity;
        try
        {
            var saved = await library.UpdateIssueAsync(id, source, PastedIssue, cancellationToken);
            if (saved is null)
                return NoSuchIssue();
            var @as = form["as"].ToString();
            return Results.Redirect($"/admin/issues/{id}?saved=1" + (@as.Length > 0 ? "&as=" + Uri.EscapeDataString(@as) : ""));
        }
        catch (IssueFormatException e)
        {
            problem = IssueProblem.Of(e, source);
        }
        catch (IssueSlugTakenException e)
        {
            problem = new IssueProblem(0, $"another issue already has the slug '{e.Slug}': give this one its own 'slug:' or title", null);
            status = StatusCodes.Status409Conflict;
        }
        catch (IssueSlugFixedException e)
        {
            problem = new IssueProblem(0, $"this issue has gone out as '{e.Slug}' and mailed links point there: keep its slug " +
                $"(add 'slug: {e.Slug}' to the front matter if the title changed)", null);
            status = StatusCodes.Status409Conflict;
        }

        // The refused text stays in the editor; the frames keep showing the stored version.
        var issue = await issues.FindIssueAsync(id, cancellationToken);
        return issue is null
            ? NoSuchIssue()
            : PageResults.Page<IssueEditPage>(status, new
            {
                Session = AdminSession.Of(http, antiforgery),
                Issue = issue,
                State = await StateAsync(issues, id, cancellationToken),
                Source = source,
                Problem = problem,
                Reader = IssuePreviews.SampleReader,
            });
    }

    private static async Task<IResult> MarkReadyAsync(long id, IssueStore issues, CancellationToken cancellationToken = default)
    {
        var issue = await issues.FindIssueAsync(id, cancellationToken);
        if (issue is null || !await issues.MarkReadyAsync(issue.Slug, cancellationToken))
            return NoSuchIssue();
        return Results.Redirect($"/admin/issues/{id}");
    }

    /// <summary>The stored issue's HTML part as the chosen reader gets it, for the editor's sandboxed frames.</summary>
    private static async Task<IResult> PreviewAsync(long id, HttpContext http, IssueStore issues, IssueReader reader,
        IssuePreviews previews, SubscriberStore subscribers, string? @as, CancellationToken cancellationToken = default)
    {
        var issue = await issues.FindIssueAsync(id, cancellationToken);
        if (issue is null)
            return NoSuchIssue();
        var (identity, _) = await ReaderAsync(http, subscribers, @as, cancellationToken);
        var (preview, problem) = await PreviewOfAsync(reader, previews, issue.Source, identity, cancellationToken);
        if (preview is null)
            return PageResults.Message(StatusCodes.Status422UnprocessableEntity, "No preview",
                (problem!.Line > 0 ? $"Line {problem.Line}: " : "") + problem.Reason);
        http.Response.Headers.ContentSecurityPolicy = PreviewPolicy;
        http.Response.Headers.XFrameOptions = "SAMEORIGIN";
        return Results.Content(preview.Html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>The editor's text as the chosen reader would get it, unsaved: the live preview's JSON.</summary>
    private static async Task<IResult> LivePreviewAsync(HttpContext http, IssueReader reader, IssuePreviews previews,
        SubscriberStore subscribers, CancellationToken cancellationToken = default)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var source = form["source"].ToString();
        var (identity, readerNote) = await ReaderAsync(http, subscribers, form["as"].ToString(), cancellationToken);
        var (preview, problem) = await PreviewOfAsync(reader, previews, source, identity, cancellationToken);
        return TypedResults.Ok(new LivePreview(preview?.Subject, preview?.Html, preview?.Text, problem, readerNote));
    }

    private static async Task<IssueState> StateAsync(IssueStore issues, long id, CancellationToken cancellationToken = default) =>
        (await issues.FindIssueSummaryAsync(id, cancellationToken))?.State ?? IssueState.Draft;

    /// <summary>
    /// The subscriber the picker names (address or id), or the sample reader with a note saying why. Only an admin
    /// may choose: a subscriber's copy carries signed links that unsubscribe them, which ops must not hold.
    /// </summary>
    private static async Task<(SubscriberIdentity Reader, string? Note)> ReaderAsync(HttpContext http, SubscriberStore subscribers,
        string? @as, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(@as))
            return (IssuePreviews.SampleReader, null);
        if (!http.User.IsInRole(Roles.Admin))
            return (IssuePreviews.SampleReader, "Only an admin previews a subscriber's own copy; showing the sample reader.");
        var found = await subscribers.FindSubscriberAsync(@as.Trim(), cancellationToken);
        return found is null
            ? (IssuePreviews.SampleReader, $"No subscriber has the address or id '{@as.Trim()}'; showing the sample reader.")
            : (found, null);
    }

    private static async Task<(IssuePreview? Preview, IssueProblem? Problem)> PreviewOfAsync(IssueReader reader, IssuePreviews previews,
        string source, SubscriberIdentity identity, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await previews.RenderAsync(reader.Parse(source, PastedIssue), identity, cancellationToken), null);
        }
        catch (IssueFormatException e)
        {
            return (null, IssueProblem.Of(e, source));
        }
        catch (TemplateException e)
        {
            return (null, new IssueProblem(0, "the templates failed: " + e.Message, null));
        }
    }

    internal static IResult NoSuchIssue() =>
        PageResults.Message(StatusCodes.Status404NotFound, "No such issue", "There is no issue at this address.", "/admin/issues", "All issues");

    private sealed record LivePreview(string? Subject, string? Html, string? Text, IssueProblem? Problem, string? ReaderNote);
}
