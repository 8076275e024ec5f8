using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Scheduling;

public sealed class ScheduleStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(ScheduleStore).Assembly, "Scheduling.Sql.schedules.sql");
    private static readonly string UpsertScheduleSql = Sql["upsert-schedule"];
    private static readonly string GetScheduleSql = Sql["get-schedule"];
    private static readonly string RecordRunSql = Sql["record-run"];
    private static readonly string LastRunsSql = Sql["last-runs"];

    public async Task UpsertAsync(ScheduleRecord schedule)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(UpsertScheduleSql, schedule);
    }

    public async Task<ScheduleRecord?> GetAsync(string id)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<ScheduleRecord>(GetScheduleSql, new { Id = id });
    }

    public async Task RecordRunAsync(string scheduleId, long? sendId, string outcome)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(RecordRunSql, new { ScheduleId = scheduleId, SendId = sendId, Outcome = outcome });
    }

    public async Task<IReadOnlyList<ScheduleRun>> LastRunsAsync(string scheduleId, int limit)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<ScheduleRun>(LastRunsSql, new { ScheduleId = scheduleId, Limit = limit })).ToList();
    }
}
