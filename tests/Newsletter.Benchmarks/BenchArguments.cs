namespace Newsletter.Benchmarks;

/// <summary>The scenario name and its <c>--name value</c> options.</summary>
public sealed class BenchArguments
{
    private readonly Dictionary<string, string> _options;

    private BenchArguments(string scenario, Dictionary<string, string> options)
    {
        Scenario = scenario;
        _options = options;
    }

    public string Scenario { get; }

    public static BenchArguments Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Expected an option such as --recipients, got '{args[i]}'.");
            options[args[i][2..]] = args[i + 1];
        }
        return new BenchArguments(args.Length > 0 ? args[0] : "", options);
    }

    public int Int(string name, int fallback) =>
        _options.TryGetValue(name, out var value) ? int.Parse(value.Replace("_", "", StringComparison.Ordinal)) : fallback;

    public string Text(string name, string fallback) => _options.GetValueOrDefault(name, fallback);

    public bool Switch(string name, bool fallback) =>
        _options.TryGetValue(name, out var value) ? value is "on" or "true" or "yes" : fallback;
}
