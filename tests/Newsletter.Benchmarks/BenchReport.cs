using System.Text.Json;

namespace Newsletter.Benchmarks;

/// <summary>Figures in the order they were added: a readable table, then the same as one JSON line.</summary>
public sealed class BenchReport(string scenario)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
    private readonly List<(string Key, object? Value, string Note)> _figures = [("scenario", scenario, "")];

    public BenchReport Add(string key, object? value, string note = "")
    {
        _figures.Add((key, value is double d ? Math.Round(d, 3) : value, note));
        return this;
    }

    public void Print(TextWriter output)
    {
        output.WriteLine();
        foreach (var (key, value, note) in _figures)
            output.WriteLine($"  {key,-24} {Format(value),14}  {note}");
        output.WriteLine();
        output.WriteLine(JsonSerializer.Serialize(_figures.ToDictionary(f => f.Key, f => f.Value), Json));
    }

    private static string Format(object? value) => value switch
    {
        null => "unknown",
        double d => d.ToString("#,0.###", System.Globalization.CultureInfo.InvariantCulture),
        int or long => $"{value:#,0}",
        _ => value.ToString() ?? "",
    };
}
