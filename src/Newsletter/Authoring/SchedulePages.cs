using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Pages;
using Newsletter.Scheduling;
using Newsletter.Sending;
using Newsletter.Subscribers;

namespace Newsletter.Authoring;

/// <summary>
/// <c>/admin/schedules</c>: the weekly schedules with their runs; create, change and delete one, through
/// <see cref="WeeklySchedules"/> as the CLI's <c>schedule</c> does.
/// </summary>
public static class SchedulePages
{
    /// <summary>Runs shown on a schedule's page.</summary>
    private const int RunsShown = 20;

    internal static void Map(RouteGroupBuilder pages, RouteGroupBuilder actions)
    {
        pages.MapGet("/schedules", ListAsync);
        pages.MapGet("/schedules/{id}", EditAsync);
        actions.MapPost("/schedules", CreateAsync);
        actions.MapPost("/schedules/{id}", SaveAsync);
        actions.MapPost("/schedules/{id}/delete", DeleteAsync);
    }

    private static Task<IResult> ListAsync(HttpContext http, CancellationToken cancellationToken = default) =>
        ListPageAsync(http, ScheduleForm.Empty, null, StatusCodes.Status200OK, cancellationToken);

    private static async Task<IResult> ListPageAsync(HttpContext http, ScheduleForm form, string? problem, int status,
        CancellationToken cancellationToken = default)
    {
        var services = http.RequestServices;
        return PageResults.Page<ScheduleListPage>(status, new
        {
            Session = AdminSession.Of(http, services.GetRequiredService<IAntiforgery>()),
            Schedules = await services.GetRequiredService<WeeklySchedules>().ListAsync(cancellationToken),
            Lists = await services.GetRequiredService<SubscriberStore>().ListSummariesAsync(cancellationToken),
            Form = form,
            Problem = problem,
        });
    }

    private static Task<IResult> EditAsync(string id, HttpContext http, CancellationToken cancellationToken = default) =>
        EditPageAsync(http, id, null, null, StatusCodes.Status200OK, cancellationToken);

    private static async Task<IResult> EditPageAsync(HttpContext http, string id, ScheduleForm? form, string? problem, int status,
        CancellationToken cancellationToken = default)
    {
        var services = http.RequestServices;
        var schedules = services.GetRequiredService<WeeklySchedules>();
        var summary = (await schedules.ListAsync(cancellationToken)).FirstOrDefault(s => s.Schedule.Id == id);
        if (summary is null)
            return NoSuchSchedule();
        var lists = await services.GetRequiredService<SubscriberStore>().ListSummariesAsync(cancellationToken);
        return PageResults.Page<ScheduleEditPage>(status, new
        {
            Session = AdminSession.Of(http, services.GetRequiredService<IAntiforgery>()),
            Summary = summary,
            Runs = await schedules.RunsAsync(id, RunsShown, cancellationToken),
            Lists = lists,
            Form = form ?? ScheduleForm.Of(summary.Schedule, lists.ToDictionary(l => l.Id, l => l.Slug)),
            Problem = problem,
        });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, WeeklySchedules schedules, CancellationToken cancellationToken = default)
    {
        var form = ScheduleForm.Of(await http.Request.ReadFormAsync(cancellationToken));
        try
        {
            var schedule = await schedules.CreateAsync(form.Lists, form.Day, form.Time, form.Zone, cancellationToken);
            return Results.Redirect($"/admin/schedules/{Uri.EscapeDataString(schedule.Id)}");
        }
        catch (Exception e) when (e is SendRequestException or UnknownListException)
        {
            return await ListPageAsync(http, form, $"{e.Message} Nothing was created.", StatusCodes.Status422UnprocessableEntity, cancellationToken);
        }
    }

    /// <summary>
    /// A schedule is known by its lists: saving the same lists changes it in place; other lists make it another schedule,
    /// which replaces this one, unless a schedule of those lists exists already.
    /// </summary>
    private static async Task<IResult> SaveAsync(string id, HttpContext http, WeeklySchedules schedules, ScheduleStore store,
        CancellationToken cancellationToken = default)
    {
        var form = ScheduleForm.Of(await http.Request.ReadFormAsync(cancellationToken));
        if (await store.GetAsync(id, cancellationToken) is null)
            return NoSuchSchedule();
        var newId = WeeklySchedules.IdFor(form.Lists);
        if (newId != id && await store.GetAsync(newId, cancellationToken) is not null)
            return await EditPageAsync(http, id, form, $"Schedule {newId} already sends to these lists: change that one, or delete it first. " +
                "Nothing was changed.", StatusCodes.Status409Conflict, cancellationToken);
        try
        {
            var schedule = await schedules.CreateAsync(form.Lists, form.Day, form.Time, form.Zone, cancellationToken);
            if (schedule.Id != id)
                await schedules.DeleteAsync(id, cancellationToken);
            return Results.Redirect($"/admin/schedules/{Uri.EscapeDataString(schedule.Id)}");
        }
        catch (Exception e) when (e is SendRequestException or UnknownListException)
        {
            return await EditPageAsync(http, id, form, $"{e.Message} Nothing was changed.", StatusCodes.Status422UnprocessableEntity,
                cancellationToken);
        }
    }

    private static async Task<IResult> DeleteAsync(string id, WeeklySchedules schedules, CancellationToken cancellationToken = default)
    {
        try
        {
            await schedules.DeleteAsync(id, cancellationToken);
            return Results.Redirect("/admin/schedules");
        }
        catch (UnknownScheduleException)
        {
            return NoSuchSchedule();
        }
    }

    private static IResult NoSuchSchedule() =>
        PageResults.Message(StatusCodes.Status404NotFound, "No such schedule", "There is no weekly schedule at this address.",
            "/admin/schedules", "All schedules");

    internal static string Moment(DateTime at) => at.ToUniversalTime().ToString("ddd d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
