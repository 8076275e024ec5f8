using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Newsletter.Storage;

/// <summary>
/// Named SQL blocks from one embedded <c>.sql</c> file: each block starts with a line
/// <c>-- name: some-query</c> and runs to the next such line. Parsed once per file. A store looks its
/// statements up into static fields, so that <see cref="CheckStores"/> at start finds a misspelt name.
/// </summary>
public sealed class SqlQueries
{
    private const string NameMarker = "-- name:";
    private readonly Dictionary<string, string> _queries;
    private readonly string _resource;

    private SqlQueries(string resource, Dictionary<string, string> queries)
    {
        _resource = resource;
        _queries = queries;
    }

    /// <summary>Loads the embedded resource whose name ends with <paramref name="resourceSuffix"/>, such as <c>Subscribers.Sql.subscribers.sql</c>.</summary>
    /// <exception cref="InvalidOperationException">No such resource, or a block without a name.</exception>
    public static SqlQueries Load(Assembly assembly, string resourceSuffix)
    {
        var resource = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith("." + resourceSuffix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No embedded SQL file {resourceSuffix} in {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);

        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        var text = new StringBuilder();
        void Flush()
        {
            if (name is not null)
                queries.Add(name, text.ToString().Trim());
            text.Clear();
        }
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith(NameMarker, StringComparison.Ordinal))
            {
                Flush();
                name = line[NameMarker.Length..].Trim();
                continue;
            }
            if (name is null && !string.IsNullOrWhiteSpace(line) && !line.StartsWith("--", StringComparison.Ordinal))
                throw new InvalidOperationException($"{resource}: SQL before the first '-- name:' line.");
            text.AppendLine(line);
        }
        Flush();
        return new SqlQueries(resource, queries);
    }

    /// <exception cref="KeyNotFoundException">The file has no block of that name.</exception>
    public string this[string name] =>
        _queries.TryGetValue(name, out var sql) ? sql : throw new KeyNotFoundException($"{_resource} has no query named '{name}'.");

    /// <summary>
    /// Loads every <c>*Store</c> type of <paramref name="assembly"/>, and so its SQL file and the statements it
    /// looks up: a missing file or block fails here, at start, rather than at the statement's first use.
    /// </summary>
    /// <exception cref="InvalidOperationException">A store names a file or a block that does not exist.</exception>
    public static void CheckStores(Assembly assembly)
    {
        foreach (var store in assembly.GetTypes().Where(t => t.IsClass && t.Name.EndsWith("Store", StringComparison.Ordinal)))
        {
            try
            {
                RuntimeHelpers.RunClassConstructor(store.TypeHandle);
            }
            catch (TypeInitializationException e) when (e.InnerException is KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidOperationException($"{store.Name}: {e.InnerException.Message}", e.InnerException);
            }
        }
    }
}
