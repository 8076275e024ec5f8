using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newsletter.Scheduling;
using Newsletter.Tests.Sending;

namespace Newsletter.Tests.Operations;

/// <summary>The app with no <c>Newsletter:Alerts:Email</c>, its log captured.</summary>
public sealed class UnmailedAlertsTestApp : SendingTestApp
{
    public CapturedLog Log { get; } = new();

    protected override void Configure(WebApplicationBuilder builder) => builder.Logging.AddProvider(Log);
}

public sealed class UnmailedAlertTests(UnmailedAlertsTestApp app) : IClassFixture<UnmailedAlertsTestApp>
{
    [Fact]
    public async Task WithoutAnAlertsAddressTheAlertIsLoggedAndNothingIsMailed()
    {
        var tag = "u" + Guid.NewGuid().ToString("N")[..6];
        await app.CreateListAsync(tag);
        var schedule = await app.Services.GetRequiredService<WeeklySchedules>().CreateAsync([tag], "thursday", "08:30", "UTC");

        await app.Services.GetRequiredService<WeeklyScheduleJob>().RunAsync(schedule.Id, CancellationToken.None);

        Assert.Contains(app.Log.Warnings, line =>
            line.StartsWith($"Newsletter alert: weekly schedule {schedule.Id} found no ready issue", StringComparison.Ordinal)
            && line.Contains("nothing was sent"));
        // No mail job was ever made, so none can arrive later either.
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%AlertMailJob%'"));
        Assert.Empty(app.Smtp.Messages);
    }
}
