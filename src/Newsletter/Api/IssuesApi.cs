using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using Newsletter.Content;
using Newsletter.Issues;
using Newsletter.Rendering;
using Newsletter.Sending;

namespace Newsletter.Api;

/// <summary>
/// <c>/api/v1/issues</c>: store an issue from its Markdown file (as <c>issues add</c>), read it, mark it ready, render it
/// as the author's preview does (<see cref="IssuePreviews"/>) and queue test copies (<see cref="TestSends"/>).
/// An issue is named by its id or its slug.
/// </summary>
public static class IssuesApi
{
    /// <summary>How the Markdown body is named in error messages, as a file would be.</summary>
    private const string BodyName = "body";

    internal static void Map(RouteGroupBuilder read, RouteGroupBuilder write)
    {
        read.MapGet("/issues", ListAsync).WithSummary("Every stored issue with its state.").Produces<IssueSummaryView[]>();
        read.MapGet("/issues/{issue}", GetAsync).WithSummary("One issue, by id or slug, with its Markdown.")
            .Produces<IssueView>().ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/issues/{issue}/render", RenderAsync)
            .WithSummary("The issue's subject, HTML and text exactly as the preview shows them, for the sample reader.")
            .Produces<RenderedView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        write.MapPost("/issues", PutAsync)
            .WithSummary("Stores an issue from its Markdown file (the body); an issue of the same slug is replaced (200), else created (201).")
            .AddOpenApiOperationTransformer(DescribeMarkdownBodyAsync)
            .Produces<IssueView>().Produces<IssueView>(StatusCodes.Status201Created).ProducesValidationProblem();
        write.MapPost("/issues/{issue}/ready", ReadyAsync).WithSummary("Marks the issue ready for the weekly schedule.")
            .Produces<IssueView>().ProducesProblem(StatusCodes.Status404NotFound);
        write.MapPost("/issues/{issue}/test", TestAsync).WithSummary("Queues one test copy of the issue to each address.")
            .Produces<TestQueued>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(IssueStore issues, CancellationToken cancellationToken = default) =>
        Results.Ok((await issues.IssueSummariesAsync(cancellationToken))
            .Select(i => new IssueSummaryView(i.Id, i.Slug, i.Title, i.State.Name(), i.UpdatedAt)).ToArray());

    private static async Task<IResult> GetAsync(string issue, IssueStore issues, CancellationToken cancellationToken = default) =>
        await FindAsync(issues, issue, cancellationToken) is { } found
            ? Results.Ok(await ViewAsync(issues, found, cancellationToken))
            : NoSuchIssue(issue);

    private static async Task<IResult> PutAsync(HttpRequest request, IssueLibrary library, IssueStore issues,
        CancellationToken cancellationToken = default)
    {
        using var bytes = new MemoryStream();
        await request.Body.CopyToAsync(bytes, cancellationToken);
        try
        {
            var (stored, created) = await library.PutIssueAsync(IssueReader.Decode(bytes.ToArray(), BodyName), BodyName, cancellationToken);
            var view = await ViewAsync(issues, stored, cancellationToken);
            return created ? Results.Created($"/api/v1/issues/{stored.Id}", view) : Results.Ok(view);
        }
        catch (IssueFormatException e)
        {
            return ApiProblems.Invalid(BodyName, e.Message);
        }
    }

    private static async Task<IResult> ReadyAsync(string issue, IssueStore issues, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(issues, issue, cancellationToken) is not { } found || !await issues.MarkReadyAsync(found.Slug, cancellationToken))
            return NoSuchIssue(issue);
        return Results.Ok(await ViewAsync(issues, (await issues.FindIssueAsync(found.Id, cancellationToken))!, cancellationToken));
    }

    private static async Task<IResult> RenderAsync(string issue, IssueStore issues, IssueReader reader, IssuePreviews previews,
        CancellationToken cancellationToken = default)
    {
        if (await FindAsync(issues, issue, cancellationToken) is not { } found)
            return NoSuchIssue(issue);
        try
        {
            var preview = await previews.RenderAsync(reader.Parse(found.Source, found.Slug), cancellationToken: cancellationToken);
            return Results.Ok(new RenderedView(preview.Subject, preview.Html, preview.Text));
        }
        catch (Exception e) when (e is IssueFormatException or TemplateException)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "Issue does not render", e.Message);
        }
    }

    private static async Task<IResult> TestAsync(string issue, TestRequest body, IssueStore issues, TestSends tests,
        CancellationToken cancellationToken = default)
    {
        return await FindAsync(issues, issue, cancellationToken) is { } found ? QueueTests(tests, found.Id, body.To ?? [], "to") : NoSuchIssue(issue);
    }

    /// <summary>One test copy of the issue to each address, all or none; <paramref name="field"/> names them in a refusal.</summary>
    internal static IResult QueueTests(TestSends tests, long issueId, string[] addresses, string field = "test")
    {
        try
        {
            return Results.Accepted(null, new TestQueued(tests.EnqueueAll(issueId, string.Join(",", addresses))));
        }
        catch (SendRequestException e)
        {
            return ApiProblems.Invalid(field, e.Message);
        }
    }

    // The body is read as it comes, whatever its Content-Type (Accepts metadata would turn other types away with a 415
    // before the key is even checked); the document still says what to send.
    private static Task DescribeMarkdownBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken = default)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The issue's Markdown file, front matter first, UTF-8.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/markdown"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        };
        return Task.CompletedTask;
    }

    /// <summary>The issue an id or a slug names; null when none does.</summary>
    internal static async Task<IssueRecord?> FindAsync(IssueStore issues, string issue, CancellationToken cancellationToken = default) =>
        long.TryParse(issue, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await issues.FindIssueAsync(id, cancellationToken)
            : await issues.FindIssueAsync(issue, cancellationToken);

    internal static IResult NoSuchIssue(string issue) => ApiProblems.NotFound($"No issue with the id or slug '{issue}'.");

    private static async Task<IssueView> ViewAsync(IssueStore issues, IssueRecord issue, CancellationToken cancellationToken = default)
    {
        var state = (await issues.FindIssueSummaryAsync(issue.Id, cancellationToken))?.State ?? IssueState.Draft;
        return new IssueView(issue.Id, issue.Slug, issue.Title, state.Name(), issue.ReadyAt, issue.CreatedAt, issue.Source);
    }

    public sealed record IssueSummaryView(long Id, string Slug, string Title, string State, DateTime UpdatedAt);

    /// <param name="State">draft, ready, scheduled or sent.</param>
    public sealed record IssueView(long Id, string Slug, string Title, string State, DateTime? ReadyAt, DateTime CreatedAt, string Markdown);

    public sealed record RenderedView(string Subject, string Html, string Text);

    /// <param name="To">Addresses, each optionally with a name: "Sam &lt;sam@example.com&gt;".</param>
    public sealed record TestRequest(string[]? To);

    public sealed record TestQueued(IReadOnlyList<string> Queued);
}
