using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Scheduling;

public sealed class ScheduleStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(ScheduleStore).Assembly, "Scheduling.Sql.schedules.sql");
    private static readonly string UpsertScheduleSql = Sql["upsert-schedule"];
    private static readonly string GetScheduleSql = Sql["get-schedule"];
    private static readonly string ListSchedulesSql = Sql["list-schedules"];
    private static readonly string RecordRunSql = Sql["record-run"];
    private static readonly string LastRunsSql = Sql["last-runs"];
    private static readonly string DeleteScheduleSql = Sql["delete-schedule"];
    private static readonly string LastRunOfEachSql = Sql["last-run-of-each"];

    public async Task UpsertAsync(ScheduleRecord schedule, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(UpsertScheduleSql, schedule, cancellationToken: cancellationToken));
    }

    public async Task<ScheduleRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ScheduleRecord>(
            new CommandDefinition(GetScheduleSql, new { Id = id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<ScheduleRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ScheduleRecord>(new CommandDefinition(ListSchedulesSql, cancellationToken: cancellationToken))).ToList();
    }

    public async Task RecordRunAsync(string scheduleId, long? sendId, string outcome, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(RecordRunSql,
            new { ScheduleId = scheduleId, SendId = sendId, Outcome = outcome }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<ScheduleRun>> LastRunsAsync(string scheduleId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ScheduleRun>(new CommandDefinition(LastRunsSql,
            new { ScheduleId = scheduleId, Limit = limit }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Deletes the schedule and its runs; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(DeleteScheduleSql, new { Id = id }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Each schedule's latest run, by schedule id.</summary>
    public async Task<IReadOnlyDictionary<string, ScheduleRun>> LastRunOfEachAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ScheduleRun>(new CommandDefinition(LastRunOfEachSql, cancellationToken: cancellationToken)))
            .ToDictionary(run => run.ScheduleId);
    }
}
