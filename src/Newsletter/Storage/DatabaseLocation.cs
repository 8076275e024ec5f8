namespace Newsletter.Storage;

/// <summary>
/// The connection string of the migrated database, known only after start-up has provided it
/// (possibly by starting a local cluster), hence set once rather than read from configuration.
/// </summary>
public sealed class DatabaseLocation
{
    private string? _connectionString;

    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException("The database is not prepared yet.");

    public bool IsPrepared => _connectionString is not null;

    public void Set(string connectionString) => _connectionString = connectionString;
}
