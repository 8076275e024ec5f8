namespace Newsletter.Benchmarks;

/// <summary>
/// Throughput and scale harness (issue 6). Reports figures, never passes or fails on them. The last line
/// of every scenario is one JSON object, so scripts can collect runs.
/// </summary>
public static class Program
{
    private const string Usage = """
        usage:
          send --recipients N [--connections C] [--sink fast|postfix] [--dkim on|off] [--ceiling-recipients M]
               [--plain-recipients P]
               [--stop-after K] [--lead-seconds S] [--warmup W] [--rounds R] [--maillog PATH] [--port P]
          ledger [--recipients N] [--connections C]
          import --rows N [--existing M]
          render [--renders K] [--personalizations M] [--messages B]
          sink [--port P] [--seconds S] [--control on]
        """;

    public static async Task<int> Main(string[] args)
    {
        var arguments = BenchArguments.Parse(args);
        if (arguments.Scenario == "sink" && arguments.Switch("control", false))
        {
            await SinkScenario.ServeAsync(arguments);
            return 0;
        }
        BenchReport? report = arguments.Scenario switch
        {
            "send" => await SendBenchmark.RunAsync(arguments),
            "ledger" => await LedgerBenchmark.RunAsync(arguments),
            "import" => await ImportBenchmark.RunAsync(arguments),
            "render" => await RenderBenchmark.RunAsync(arguments),
            "sink" => await SinkScenario.RunAsync(arguments),
            _ => null,
        };
        if (report is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        report.Print(Console.Out);
        return 0;
    }
}
