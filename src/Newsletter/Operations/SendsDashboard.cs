using System.Text.Json;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Bounces;
using Newsletter.Scheduling;
using Newsletter.Sending;
using Newsletter.Subscribers;

namespace Newsletter.Operations;

/// <summary>
/// The dashboard's Sends pages, read-only for every role: <c>/hangfire/sends</c> (recent sends, weekly schedules with
/// their last runs, the suppression list by reason) and <c>/hangfire/sends/{id}</c> (one send live, as <c>sends show</c>),
/// whose figures a small script polls from <c>/hangfire/sends/{id}/figures</c>. Changes stay in /admin.
/// </summary>
public static class SendsDashboard
{
    public const string Path = "/sends";
    public const int RecentSends = 20;
    public const int RunsPerSchedule = 3;
    public const int FailedShown = 20;
    public const int AnswersShown = 10;

    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>Adds the routes and the menu item to Hangfire's dashboard; its route table is global, so only once a process.</summary>
    internal static void Register()
    {
        lock (Gate)
        {
            if (_registered)
                return;
            _registered = true;
        }
        DashboardRoutes.Routes.Add(Path, new DashboardHandler(ListAsync));
        DashboardRoutes.Routes.Add($@"{Path}/(?<id>\d+)", new DashboardHandler(ShowAsync));
        DashboardRoutes.Routes.Add($@"{Path}/(?<id>\d+)/figures", new DashboardHandler(FiguresAsync));
        NavigationMenu.Items.Add(page => new MenuItem("Sends", page.Url.To(Path))
        {
            Active = page.RequestPath.StartsWith(Path, StringComparison.OrdinalIgnoreCase),
        });
    }

    private static async Task ListAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var services = http.RequestServices;
        var cancellationToken = http.RequestAborted;
        var sends = new List<SendProgress>();
        foreach (var send in (await services.GetRequiredService<SendStore>().ListSendsAsync(cancellationToken)).Take(RecentSends))
            if (await ProgressOfAsync(services, send.Id, cancellationToken) is { } progress)
                sends.Add(progress);
        var weekly = services.GetRequiredService<WeeklySchedules>();
        var schedules = new List<(ScheduleSummary, IReadOnlyList<ScheduleRun>)>();
        foreach (var schedule in await weekly.ListAsync(cancellationToken))
            schedules.Add((schedule, await RunsOfAsync(weekly, schedule.Schedule.Id, cancellationToken)));

        await DashboardFrame.WriteAsync<SendsDashboardPage>(context, "Sends", new Dictionary<string, object?>
        {
            ["SendsUrl"] = new UrlHelper(context).To(Path),
            ["Sends"] = sends,
            ["Bounces"] = (await services.GetRequiredService<BounceStore>().CountsAsync(sends.Select(p => p.Send.Id).ToList(), cancellationToken))
                .ToDictionary(c => c.SendId),
            ["Schedules"] = schedules,
            ["Suppressions"] = await services.GetRequiredService<SubscriberStore>().SuppressionsByReasonAsync(cancellationToken),
        });
    }

    private static async Task ShowAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        // The route takes any run of digits: one too long for an id is no send either.
        var progress = long.TryParse(context.UriMatch.Groups["id"].Value, out var id)
            ? await ProgressOfAsync(http.RequestServices, id, http.RequestAborted)
            : null;
        if (progress is null)
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        var deliveries = http.RequestServices.GetRequiredService<DeliveryStore>();
        var answers = progress is null ? [] : await deliveries.RelayAnswersAsync(id, AnswersShown, http.RequestAborted);
        var failed = progress is null ? [] : await deliveries.FailedAsync(id, 0, FailedShown, http.RequestAborted);
        var bounces = (await http.RequestServices.GetRequiredService<BounceStore>().CountsAsync([id], http.RequestAborted))[0];
        await DashboardFrame.WriteAsync<SendDashboardPage>(context, $"Send {id}", new Dictionary<string, object?>
        {
            ["SendsUrl"] = new UrlHelper(context).To(Path),
            ["Id"] = id,
            ["Progress"] = progress,
            ["Answers"] = answers,
            ["Failed"] = failed,
            ["Bounces"] = bounces,
        });
    }

    private static async Task FiguresAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (!long.TryParse(context.UriMatch.Groups["id"].Value, out var id)
            || await ProgressOfAsync(http.RequestServices, id, http.RequestAborted) is not { } progress)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(DashboardSendFigures.Of(progress), JsonSerializerOptions.Web));
    }

    private static async Task<SendProgress?> ProgressOfAsync(IServiceProvider services, long id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendProgress.ReadAsync(services.GetRequiredService<SendStore>(), services.GetRequiredService<DeliveryStore>(), id,
                cancellationToken);
        }
        catch (SendRequestException)
        {
            return null;
        }
    }

    // A schedule deleted between the list and its runs simply shows none.
    private static async Task<IReadOnlyList<ScheduleRun>> RunsOfAsync(WeeklySchedules weekly, string id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await weekly.RunsAsync(id, RunsPerSchedule, cancellationToken);
        }
        catch (UnknownScheduleException)
        {
            return [];
        }
    }
}
