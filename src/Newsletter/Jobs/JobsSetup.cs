using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Storage;

namespace Newsletter.Jobs;

public static class JobsSetup
{
    public const string HangfireSchema = "hangfire";

    // Any server's scheduler moves due jobs of every queue, so the default server's, polling every second,
    // is enough for the process; the other two polling as often tripled the scheduler's idle queries.
    private static readonly TimeSpan OtherServersSchedulePolling = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Hangfire on PostgreSQL in its own schema. With <paramref name="runServer"/> this process also
    /// executes jobs; CLI verbs only enqueue.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, bool runServer)
    {
        // One storage per service provider rather than Hangfire's process-wide JobStorage.Current: with two
        // apps in one process (the test suite runs several at once) a server of one app otherwise fetched
        // the other app's jobs and ran them with its own services, against its own database.
        services.AddSingleton<JobStorage>(sp =>
        {
            var options = StorageOptions();
            return new PostgreSqlStorage(
                new NpgsqlConnectionFactory(sp.GetRequiredService<DatabaseLocation>().ConnectionString, options), options);
        });
        services.AddHangfire((sp, configuration) => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(sp.GetRequiredService<JobStorage>()));

        if (!runServer)
            return services;

        services.AddHangfireServer((sp, server) =>
        {
            server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:transactional";
            server.Queues = [JobQueues.Transactional];
            server.WorkerCount = sp.GetRequiredService<IOptions<JobsOptions>>().Value.TransactionalWorkers;
            server.SchedulePollingInterval = OtherServersSchedulePolling;
        });
        services.AddHangfireServer((sp, server) =>
        {
            server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            server.Queues = [JobQueues.Transactional, JobQueues.Default];
            server.WorkerCount = sp.GetRequiredService<IOptions<JobsOptions>>().Value.Workers;
            // Scheduled sends fire within a second of their moment instead of within 15 s.
            server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        // One bulk worker per pooled SMTP connection: a process never takes a send's batch it has no
        // connection for, so the batches of a send spread over every process instead of queueing in one.
        services.AddHangfireServer((sp, server) =>
        {
            server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:bulk";
            server.Queues = [JobQueues.Bulk];
            server.WorkerCount = sp.GetRequiredService<IOptions<SmtpOptions>>().Value.PoolSize;
            server.SchedulePollingInterval = OtherServersSchedulePolling;
        });
        return services;
    }

    private static PostgreSqlStorageOptions StorageOptions() => new()
    {
        SchemaName = HangfireSchema,
        PrepareSchemaIfNecessary = true,
        // The defaults (15 s poll, 30 min invisibility) would make a send start late and a
        // crashed batch wait half an hour; a sliding timeout keeps long jobs alive. A job enqueued in
        // this process wakes a waiting worker at once; the poll is for jobs other processes enqueue
        // (the CLI's): at 250 ms an idle server cost 76 ms/s of CPU and PostgreSQL 52; at 1 s, 28 and 10.
        QueuePollInterval = TimeSpan.FromSeconds(1),
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = TimeSpan.FromMinutes(2),
        // A lock's row outlives a holder that was killed, or whose database went away before the release: until
        // it is this old, nobody takes it. Hangfire's schedulers hold theirs for milliseconds, so after a crash or
        // a PostgreSQL restart a minute meant retried batches and the recovery sweep waited a minute to be
        // scheduled (a send killed with its postmaster sat still for over 20 s after the restart, 1 run in 7).
        DistributedLockTimeout = TimeSpan.FromSeconds(10),
    };
}
