using System.Globalization;
using System.Text.RegularExpressions;

namespace Newsletter.Tests.Operations;

/// <summary>One answer of <c>/metrics</c> in Prometheus' text format, read into samples.</summary>
public sealed partial class PrometheusScrape
{
    private PrometheusScrape(IReadOnlyList<Sample> samples) => Samples = samples;

    public IReadOnlyList<Sample> Samples { get; }

    public IReadOnlySet<string> Names => Samples.Select(s => s.Name).ToHashSet();

    public static PrometheusScrape Parse(string text) => new(text.Split('\n')
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(line => SampleLine().Match(line))
        .Where(m => m.Success)
        .Select(m => new Sample(m.Groups["name"].Value,
            Label().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups["key"].Value, l => l.Groups["value"].Value),
            double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))
        .ToList());

    /// <summary>The value of the sample of <paramref name="name"/> whose labels include <paramref name="labels"/>; null when absent.</summary>
    public double? Value(string name, params (string Key, string Value)[] labels) => Samples
        .Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value))
        .Select(s => (double?)s.Value)
        .SingleOrDefault();

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Label();
}
