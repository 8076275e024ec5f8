using System.CommandLine;
using Newsletter.Benchmarks;

namespace Newsletter.Tests.Benchmarks;

public sealed class BenchCommandsTests
{
    private static ParseResult Parse(params string[] args) => BenchCommands.Create().Parse(args);

    [Fact]
    public void MisspeltOptionIsAnErrorThatNamesIt()
    {
        var result = Parse("render", "--renderz", "3");

        Assert.Contains(result.Errors, e => e.Message.Contains("--renderz", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownScenarioIsAnError()
    {
        Assert.NotEmpty(Parse("sendd").Errors);
    }

    [Theory]
    [InlineData("send", "recipients", 10_000)]
    [InlineData("send", "connections", 8)]
    [InlineData("send", "warmup", 20_000)]
    [InlineData("send", "rounds", 1)]
    [InlineData("send", "stop-after", 0)]
    [InlineData("send", "port", 2527)]
    [InlineData("ledger", "recipients", 100_000)]
    [InlineData("import", "rows", 100_000)]
    [InlineData("import", "existing", 0)]
    [InlineData("render", "renders", 50)]
    [InlineData("render", "personalizations", 200_000)]
    [InlineData("render", "messages", 5_000)]
    [InlineData("sink", "seconds", 30)]
    [InlineData("crash", "recipients", 10_000)]
    [InlineData("crash", "kills", 20)]
    [InlineData("crash", "connections", 8)]
    [InlineData("crash", "lease-seconds", 5)]
    [InlineData("load", "recipients", 100_000)]
    [InlineData("load", "connections", 8)]
    [InlineData("load", "seconds", 15)]
    [InlineData("load", "link-requests-per-minute", 1_000_000)]
    public void OptionsKeepTheirDefaults(string scenario, string option, int expected)
    {
        var result = Parse(scenario);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, new BenchArguments(result).Int(option));
    }

    [Fact]
    public void DependentDefaultsAreLeftToTheScenario()
    {
        var arguments = new BenchArguments(Parse("send", "--recipients", "100_000"));

        Assert.Equal(100_000, arguments.Int("recipients"));
        Assert.Null(arguments.OptionalInt("ceiling-recipients"));
        Assert.Equal("fast", arguments.Text("sink"));
        Assert.False(arguments.Switch("dkim"));
    }

    [Theory]
    [InlineData("send --recipients 100000 --connections 8 --sink fast --dkim off --ceiling-recipients 40000 --plain-recipients 0")]
    [InlineData("send --recipients 100000 --connections 8 --sink fast --dkim on --ceiling-recipients 20000 --rounds 3")]
    [InlineData("send --recipients 20000 --connections 8 --sink postfix --dkim off --ceiling-recipients 10000")]
    [InlineData("send --recipients 1000000 --connections 8 --sink fast --stop-after 30000 --ceiling-recipients 20000")]
    [InlineData("import --rows 1000000 --existing 1000000")]
    [InlineData("ledger --recipients 100000 --connections 8")]
    [InlineData("render")]
    [InlineData("sink --port 2526 --seconds 30")]
    [InlineData("sink --port 0 --control on")]
    [InlineData("crash --recipients 10000 --kills 20 --connections 8")]
    [InlineData("crash --recipients 2000 --kills 3 --seed 174587882")]
    [InlineData("load --recipients 100000 --connections 8 --seconds 15")]
    [InlineData("load --recipients 10000 --seconds 5 --link-requests-per-minute 600")]
    public void DocumentedInvocationsParse(string line)
    {
        Assert.Empty(Parse(line.Split(' ')).Errors);
    }

    [Theory]
    [InlineData("send --dkim maybe")]
    [InlineData("send --sink smtp4dev")]
    [InlineData("send --rounds 0")]
    [InlineData("send --recipients ten")]
    [InlineData("send --sink postfix --stop-after 10")]
    [InlineData("crash --kills twenty")]
    [InlineData("load --warmup 0")]
    public void BadValuesAreErrors(string line)
    {
        Assert.NotEmpty(Parse(line.Split(' ')).Errors);
    }

    [Fact]
    public void HelpListsEveryScenarioWithItsOptions()
    {
        var output = new StringWriter();

        BenchCommands.Create().Parse(["--help"]).Invoke(new InvocationConfiguration { Output = output });

        var help = output.ToString();
        foreach (var expected in new[] { "send [--recipients]", "[--dkim]", "ledger", "import [--rows]", "render [--renders]", "sink [--port]", "crash [--recipients] [--kills]", "load [--recipients]" })
            Assert.Contains(expected, help, StringComparison.Ordinal);
    }
}
