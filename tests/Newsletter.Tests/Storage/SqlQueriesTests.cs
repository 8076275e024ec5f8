using Newsletter.Sending;
using Newsletter.Storage;

namespace Newsletter.Tests.Storage;

public sealed class SqlQueriesTests
{
    [Fact]
    public void EveryStoreFindsEveryStatementItNames() =>
        SqlQueries.CheckStores(typeof(SqlQueries).Assembly);

    [Fact]
    public void AMisspeltStatementNameFailsWhenStoresAreCheckedNotAtFirstUse()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SqlQueries.CheckStores(typeof(MisspeltStore).Assembly));

        Assert.Contains(nameof(MisspeltStore), error.Message);
        Assert.Contains("'get-sendd'", error.Message);
    }

    [Fact]
    public void AStoreNamesNoStatementOutsideItsFile()
    {
        // Statements run only by the store that owns the file: no store hands its SQL to other classes.
        var leaks = typeof(SqlQueries).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Store", StringComparison.Ordinal))
            .SelectMany(t => t.GetProperties(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public |
                                              System.Reflection.BindingFlags.NonPublic))
            .Where(p => p.PropertyType == typeof(string))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}");

        Assert.Empty(leaks);
    }

    /// <summary>A store with a typo in a block name; only <see cref="SqlQueries.CheckStores"/> loads it.</summary>
    private sealed class MisspeltStore
    {
        private static readonly SqlQueries Sql = SqlQueries.Load(typeof(SendStore).Assembly, "Sending.Sql.sends.sql");
        private static readonly string GetSendSql = Sql["get-sendd"];

        public static string Statement => GetSendSql;
    }
}
