using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Scheduling;
using static Newsletter.Tests.Authoring.AuthoringTestApp;

namespace Newsletter.Tests.Authoring;

/// <summary>Weekly schedules from the author's pages: create, see the runs, change, delete.</summary>
public sealed class SchedulePagesTests(AuthoringTestApp app) : IClassFixture<AuthoringTestApp>
{
    private ScheduleStore Store => app.Services.GetRequiredService<ScheduleStore>();

    [Fact]
    public async Task CreatedScheduleIsListedWithItsNextRunAndDeletedAgain()
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        await app.CreateListAsync(slug);

        var created = await PostFormAsync(admin, "/admin/schedules", "/admin/schedules",
            new() { ["list"] = slug, ["day"] = "Thursday", ["time"] = "08:30", ["zone"] = "Europe/Berlin" });

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = $"weekly-{slug}";
        Assert.Equal($"/admin/schedules/{id}", created.Headers.Location!.OriginalString);
        var stored = await Store.GetAsync(id);
        Assert.Equal("30 8 * * 4", stored!.Cron);
        Assert.Equal("Europe/Berlin", stored.TimeZone);
        var list = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/schedules"));
        Assert.Contains($"every Thursday at 08:30 Europe/Berlin to {slug}", list);
        Assert.Contains("last: never", list);
        Assert.DoesNotContain("not registered", list);
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync(created.Headers.Location));
        Assert.Contains("<option value=\"Thursday\" selected", page);
        Assert.Contains("value=\"08:30\"", page);

        var deleted = await PostFormAsync(admin, $"/admin/schedules/{id}", $"/admin/schedules/{id}/delete", []);

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Null(await Store.GetAsync(id));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/admin/schedules/{id}")).StatusCode);
    }

    [Fact]
    public async Task ARunWithNoReadyIssueIsShown()
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        await app.CreateListAsync(slug);
        var schedule = await app.Services.GetRequiredService<WeeklySchedules>().CreateAsync([slug], "monday", "07:00", "UTC");

        await app.Services.GetRequiredService<WeeklyScheduleJob>().RunAsync(schedule.Id, CancellationToken.None);

        Assert.Contains("no issue was ready; nothing sent", await admin.GetStringAsync("/admin/schedules"));
        Assert.Contains("no issue was ready; nothing sent", await admin.GetStringAsync($"/admin/schedules/{schedule.Id}"));
    }

    [Fact]
    public async Task EditingChangesTheTimeInPlaceAndOtherListsReplaceTheSchedule()
    {
        using var admin = await app.AdminAsync();
        var first = NewSlug();
        var second = NewSlug();
        await app.CreateListAsync(first);
        await app.CreateListAsync(second);
        var schedule = await app.Services.GetRequiredService<WeeklySchedules>().CreateAsync([first], "monday", "07:00", "UTC");
        var page = $"/admin/schedules/{schedule.Id}";

        var changed = await PostFormAsync(admin, page, page, new() { ["list"] = first, ["day"] = "Friday", ["time"] = "18:45", ["zone"] = "Asia/Tokyo" });
        var moved = await PostFormAsync(admin, page, page, new() { ["list"] = second, ["day"] = "Friday", ["time"] = "18:45", ["zone"] = "Asia/Tokyo" });

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal($"/admin/schedules/weekly-{second}", moved.Headers.Location!.OriginalString);
        Assert.Null(await Store.GetAsync(schedule.Id));
        var now = await Store.GetAsync($"weekly-{second}");
        Assert.Equal("45 18 * * 5", now!.Cron);
        Assert.Equal("Asia/Tokyo", now.TimeZone);
    }

    [Fact]
    public async Task EditingOntoTheListsOfAnotherScheduleIsRefusedAndChangesNothing()
    {
        using var admin = await app.AdminAsync();
        var first = NewSlug();
        var second = NewSlug();
        await app.CreateListAsync(first);
        await app.CreateListAsync(second);
        var schedules = app.Services.GetRequiredService<WeeklySchedules>();
        var edited = await schedules.CreateAsync([first], "monday", "07:00", "UTC");
        var other = await schedules.CreateAsync([second], "tuesday", "09:00", "UTC");
        var page = $"/admin/schedules/{edited.Id}";

        var refused = await PostFormAsync(admin, page, page, new() { ["list"] = second, ["day"] = "Friday", ["time"] = "18:45", ["zone"] = "UTC" });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains($"Schedule {other.Id} already sends to these lists", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(Shape(edited), Shape(await Store.GetAsync(edited.Id)));
        Assert.Equal(Shape(other), Shape(await Store.GetAsync(other.Id)));
    }

    [Fact]
    public async Task BadScheduleIsRefusedInlineAndCreatesNothing()
    {
        using var admin = await app.AdminAsync();
        var slug = NewSlug();
        await app.CreateListAsync(slug);
        var before = await app.ScalarAsync<long>("SELECT count(*) FROM schedules");

        var unknownList = await PostFormAsync(admin, "/admin/schedules", "/admin/schedules",
            new() { ["list"] = "nope", ["day"] = "Monday", ["time"] = "08:00", ["zone"] = "UTC" });
        var badTime = await PostFormAsync(admin, "/admin/schedules", "/admin/schedules",
            new() { ["list"] = slug, ["day"] = "Monday", ["time"] = "25:00", ["zone"] = "UTC" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownList.StatusCode);
        Assert.Contains("No list with the slug 'nope'. Nothing was created.", WebUtility.HtmlDecode(await unknownList.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badTime.StatusCode);
        Assert.Contains("'25:00' is not a time of day", WebUtility.HtmlDecode(await badTime.Content.ReadAsStringAsync()));
        Assert.Equal(before, await app.ScalarAsync<long>("SELECT count(*) FROM schedules"));
    }

    /// <summary>What a schedule stores, comparable (a record's array compares by reference).</summary>
    private static string Shape(ScheduleRecord? schedule) =>
        schedule is null ? "none" : $"{schedule.Id}|{string.Join(',', schedule.ListIds)}|{schedule.Cron}|{schedule.TimeZone}|{schedule.Description}";
}
