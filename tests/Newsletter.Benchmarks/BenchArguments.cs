using System.CommandLine;

namespace Newsletter.Benchmarks;

/// <summary>A scenario's options as <see cref="BenchCommands"/> declared and System.CommandLine parsed them.</summary>
public sealed class BenchArguments(ParseResult parse)
{
    /// <summary>An option with a fixed default, declared on the scenario.</summary>
    public int Int(string name) => parse.GetRequiredValue<int>("--" + name);

    /// <summary>An option whose default depends on other options; null when not given.</summary>
    public int? OptionalInt(string name) => parse.GetValue<int?>("--" + name);

    public string Text(string name) => parse.GetRequiredValue<string>("--" + name);

    public bool Switch(string name) => parse.GetRequiredValue<string>("--" + name) == BenchCommands.On;
}
