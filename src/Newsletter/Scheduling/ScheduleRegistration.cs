using Microsoft.Extensions.Hosting;

namespace Newsletter.Scheduling;

/// <summary>At every server start, the recurring job of every weekly schedule is written again from our rows.</summary>
public sealed class ScheduleRegistration(WeeklySchedules schedules) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => schedules.RegisterAllAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
