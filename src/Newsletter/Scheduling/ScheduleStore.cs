using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Scheduling;

public sealed class ScheduleStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(ScheduleStore).Assembly, "Scheduling.Sql.schedules.sql");

    public async Task UpsertAsync(ScheduleRecord schedule)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(Sql["upsert-schedule"], schedule);
    }

    public async Task<ScheduleRecord?> GetAsync(string id)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<ScheduleRecord>(Sql["get-schedule"], new { Id = id });
    }

    public async Task RecordRunAsync(string scheduleId, long? sendId, string outcome)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(Sql["record-run"], new { ScheduleId = scheduleId, SendId = sendId, Outcome = outcome });
    }

    public async Task<IReadOnlyList<ScheduleRun>> LastRunsAsync(string scheduleId, int limit)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<ScheduleRun>(Sql["last-runs"], new { ScheduleId = scheduleId, Limit = limit })).ToList();
    }
}
