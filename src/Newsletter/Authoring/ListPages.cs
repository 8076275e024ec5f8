using Hangfire;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Newsletter.Pages;
using Newsletter.Subscribers;

namespace Newsletter.Authoring;

/// <summary>
/// <c>/admin/lists</c>: every list with its counts, a new list, a CSV import with its progress and outcome, and
/// the export. Lists are made through <see cref="SubscriberStore"/> as <c>lists create</c> makes them; an import
/// runs as a <see cref="ListImportJob"/> (the importer of <c>subscribers import</c>), the export is <c>subscribers export</c>.
/// </summary>
public static class ListPages
{
    /// <summary>The largest CSV the import page takes: some hundreds of thousands of rows, read back in constant memory.</summary>
    public const long MaxUploadBytes = 64 * 1024 * 1024;

    private const int RecentImports = 10;

    internal static void Map(RouteGroupBuilder pages, RouteGroupBuilder actions)
    {
        pages.MapGet("/lists", ListAsync);
        pages.MapGet("/lists/{slug}/import", ImportFormAsync);
        pages.MapGet("/lists/{slug}/imports/{id:long}", ImportAsync);
        pages.MapGet("/lists/{slug}/imports/{id:long}/progress", ProgressAsync);
        pages.MapGet("/lists/{slug}/imports/{id:long}/rejected.csv", RejectedAsync);
        pages.MapGet("/lists/{slug}/export", ExportAsync);
        actions.MapPost("/lists", CreateAsync);
        actions.MapPost("/lists/{slug}/import", StartImportAsync).WithMetadata(new BodyLimit(MaxUploadBytes));
    }

    private static async Task<IResult> ListAsync(HttpContext http, IAntiforgery antiforgery, SubscriberStore subscribers, string? created,
        CancellationToken cancellationToken = default) =>
        PageResults.Page<ListsPage>(StatusCodes.Status200OK, new
        {
            Session = AdminSession.Of(http, antiforgery),
            Lists = await subscribers.ListSummariesAsync(cancellationToken),
            Created = created,
        });

    private static async Task<IResult> CreateAsync(HttpContext http, IAntiforgery antiforgery, SubscriberStore subscribers,
        CancellationToken cancellationToken = default)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var draft = new ListDraft(form["slug"].ToString().Trim(), form["name"].ToString().Trim(), form["description"].ToString().Trim(),
            form["double_opt_in"].Count > 0);
        string? slugError = null, nameError = null;
        if (!ListSlugRule.IsValid(draft.Slug))
            slugError = draft.Slug.Length == 0
                ? "Give the list a slug."
                : $"'{draft.Slug}' is not a valid slug: use {ListSlugRule.Description}.";
        if (draft.Name.Length == 0)
            nameError = "Give the list the name subscribers will see.";
        var status = StatusCodes.Status422UnprocessableEntity;
        if (slugError is null && nameError is null)
        {
            if (await subscribers.CreateListAsync(draft.Slug, draft.Name, draft.Description, draft.DoubleOptIn, cancellationToken) is not null)
                return Results.Redirect("/admin/lists?created=" + Uri.EscapeDataString(draft.Slug));
            slugError = $"There is already a list '{draft.Slug}': choose another slug.";
            status = StatusCodes.Status409Conflict;
        }
        return PageResults.Page<ListsPage>(status, new
        {
            Session = AdminSession.Of(http, antiforgery),
            Lists = await subscribers.ListSummariesAsync(cancellationToken),
            Draft = draft,
            SlugError = slugError,
            NameError = nameError,
        });
    }

    private static async Task<IResult> ImportFormAsync(string slug, HttpContext http, IAntiforgery antiforgery, SubscriberStore subscribers,
        ListImportStore imports, CancellationToken cancellationToken = default)
    {
        var list = await subscribers.FindListAsync(slug, cancellationToken);
        return list is null ? NoSuchList() : await ImportFormPageAsync(http, antiforgery, imports, list, null, false, StatusCodes.Status200OK, cancellationToken);
    }

    private static async Task<IResult> ImportFormPageAsync(HttpContext http, IAntiforgery antiforgery, ListImportStore imports, MailingList list,
        string? error, bool confirmed, int status, CancellationToken cancellationToken = default) =>
        PageResults.Page<ListImportPage>(status, new
        {
            Session = AdminSession.Of(http, antiforgery),
            List = list,
            Recent = await imports.RecentAsync(list.Slug, RecentImports, cancellationToken),
            MaxUploadBytes,
            Error = error,
            Confirmed = confirmed,
        });

    private static async Task<IResult> StartImportAsync(string slug, HttpContext http, IAntiforgery antiforgery, SubscriberStore subscribers,
        ListImportStore imports, IBackgroundJobClient jobs, CancellationToken cancellationToken = default)
    {
        var list = await subscribers.FindListAsync(slug, cancellationToken);
        if (list is null)
            return NoSuchList();
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var confirmed = form["confirmed"].Count > 0;
        var file = form.Files.GetFile("file");
        if (file is not { Length: > 0 })
            return await ImportFormPageAsync(http, antiforgery, imports, list, "Choose a CSV file to import.", confirmed,
                StatusCodes.Status422UnprocessableEntity, cancellationToken);

        await using var content = file.OpenReadStream();
        var id = await imports.AddAsync(list.Id, Path.GetFileName(file.FileName), confirmed, content, file.Length, cancellationToken);
        jobs.Enqueue<ListImportJob>(job => job.RunAsync(id, CancellationToken.None));
        return Results.Redirect($"/admin/lists/{Uri.EscapeDataString(list.Slug)}/imports/{id}");
    }

    private static async Task<IResult> ImportAsync(string slug, long id, HttpContext http, IAntiforgery antiforgery, ListImportStore imports,
        CancellationToken cancellationToken = default)
    {
        var import = await imports.FindAsync(id, cancellationToken);
        return import is null || import.ListSlug != slug
            ? NoSuchImport(slug)
            : PageResults.Page<ListImportResultPage>(StatusCodes.Status200OK, new { Session = AdminSession.Of(http, antiforgery), Import = import });
    }

    /// <summary>How far the import has got, for the page's progress bar.</summary>
    private static async Task<IResult> ProgressAsync(string slug, long id, ListImportStore imports, CancellationToken cancellationToken = default)
    {
        var import = await imports.FindAsync(id, cancellationToken);
        if (import is null || import.ListSlug != slug)
            return TypedResults.NotFound();
        return TypedResults.Ok(new ImportProgress(import.Status.Name(), import.ReadBytes, import.TotalBytes, import.IsOver));
    }

    private static async Task<IResult> RejectedAsync(string slug, long id, HttpContext http, ListImportStore imports,
        CancellationToken cancellationToken = default)
    {
        var import = await imports.FindAsync(id, cancellationToken);
        if (import is null || import.ListSlug != slug)
            return NoSuchImport(slug);
        return Download(http, $"{slug}-import-{id}-rejected.csv",
            output => ImportRejectionsCsv.WriteAsync(imports.RejectionsAsync(id, cancellationToken), output, cancellationToken));
    }

    private static async Task<IResult> ExportAsync(string slug, HttpContext http, SubscriberStore subscribers, SubscriberExporter exporter,
        CancellationToken cancellationToken = default)
    {
        // Checked before the first byte, so an unknown list is a page and not a broken download.
        if (await subscribers.FindListAsync(slug, cancellationToken) is null)
            return NoSuchList();
        return Download(http, $"{slug}.csv", output => exporter.ExportAsync(slug, output, cancellationToken));
    }

    private static IResult Download(HttpContext http, string fileName, Func<Stream, Task> write)
    {
        http.Response.Headers.CacheControl = "no-store";
        return Results.Stream(write, "text/csv; charset=utf-8", fileName);
    }

    private static IResult NoSuchList() =>
        PageResults.Message(StatusCodes.Status404NotFound, "No such list", "There is no list at this address.", "/admin/lists", "All lists");

    private static IResult NoSuchImport(string slug) =>
        PageResults.Message(StatusCodes.Status404NotFound, "No such import", "There is no import at this address.",
            $"/admin/lists/{Uri.EscapeDataString(slug)}/import", "The list's imports");

    private sealed record ImportProgress(string Status, long ReadBytes, long TotalBytes, bool Over);
}
