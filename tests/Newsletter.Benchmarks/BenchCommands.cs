using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Newsletter.Benchmarks;

/// <summary>
/// The scenarios and their options. Counts accept <c>_</c> as a digit separator (<c>100_000</c>), switches
/// take on or off; an unknown option or value stops the run with a message.
/// </summary>
public static class BenchCommands
{
    public const string On = "on";
    public const string Off = "off";

    public static RootCommand Create()
    {
        Command[] scenarios =
        [
            Send(),
            Scenario("ledger", "The send's database work alone: freeze, claim and flush the ledger, no SMTP.", LedgerBenchmark.RunAsync,
                Count("--recipients", "Recipients in the list.", 100_000),
                Count("--connections", "Sending tasks claiming batches.", 8)),
            Scenario("load", "Public endpoints under wrk (one-click unsubscribe, archive, /healthz), each during a send of the list by a real server.",
                LoadBenchmark.RunAsync,
                Count("--recipients", "Recipients in the list: each send goes to all of them.", 100_000),
                Count("--connections", "HTTP connections wrk keeps open.", 8),
                Count("--threads", "wrk's threads.", 2),
                Count("--seconds", "How long wrk drives each endpoint, and how long the sends without load are timed.", 15),
                Count("--smtp-connections", "The server's SMTP connections.", 8),
                AtLeastOne(Count("--warmup", "Recipients of the warm-up send (at most the recipients); their tokens serve the unsubscribes without a send.", 20_000)),
                Count("--link-requests-per-minute", "The server's limit per client address on the signed-link pages (600 as shipped); wrk is one address.", 1_000_000),
                Count("--logins-per-minute", "Pace of the wrong-password guesses on /login, all connections together; 0: as fast as wrk goes.", 0)),
            Scenario("import", "CSV import of subscribers through the COPY path.", ImportBenchmark.RunAsync,
                Count("--rows", "Rows in the CSV.", 100_000),
                Count("--existing", "Subscribers already in the database before the import.", 0)),
            Scenario("search", "Prefix searches of subscribers by address and by name, as `subscribers search` runs them.", SearchBenchmark.RunAsync,
                Count("--subscribers", "Subscribers in the database.", 1_000_000),
                AtLeastOne(Count("--searches", "Searches of each kind.", 200)),
                AtLeastOne(Count("--limit", "Matches per page.", 50))),
            Scenario("api", "Subscribers upserted through a real server's JSON API, one request per batch.", ApiBenchmark.RunAsync,
                AtLeastOne(Count("--subscribers", "Subscribers upserted, then upserted again.", 10_000)),
                AtLeastOne(Count("--batch", "Subscribers per request (at most 1,000).", 1_000))),
            Scenario("render", "First template compile, issue renders, per-recipient personalisation and message building.", RenderBenchmark.RunAsync,
                Count("--renders", "Issue renders to average.", 50),
                Count("--personalizations", "Recipients personalised on one thread.", 200_000),
                Count("--messages", "Messages built, with and without DKIM.", 5_000)),
            Scenario("crash", "One send through serve processes killed with SIGKILL at random moments: what each kill lost and sent twice.",
                CrashBenchmark.RunAsync,
                Count("--recipients", "Recipients in the list.", 10_000),
                Count("--kills", "Processes killed before one finishes the send.", 20),
                Count("--connections", "SMTP connections per process.", 8),
                Count("--lease-seconds", "Sending:LeaseSeconds of the processes: how soon a dead one's rows are sent again.", 5),
                OptionalCount("--seed", "Seed of the random kill moments (default: a new one, printed).")),
            Sink(),
        ];
        // The overview is written from the declarations, so it cannot drift from what the parser accepts.
        var overview = scenarios.Select(c => $"  {c.Name} " + string.Join(' ', c.Options.Select(o => $"[{o.Name}]")));
        var root = new RootCommand("Throughput and scale harness: run a scenario, read its figures (the last line is JSON).\n"
            + string.Join('\n', overview) + "\n'<scenario> --help' describes a scenario's options and their defaults.");
        foreach (var scenario in scenarios)
            root.Add(scenario);
        return root;
    }

    private static Command Send()
    {
        var sink = new Option<string>("--sink") { Description = "fast: the in-process counting sink; postfix: see postfix-sink.sh.", DefaultValueFactory = _ => "fast" };
        sink.AcceptOnlyFromAmong("fast", "postfix");
        var rounds = AtLeastOne(Count("--rounds", "Measured sends after the warm-up.", 1));
        var stopAfter = Count("--stop-after", "Freeze the whole list, send this many, then cancel (0: send all; needs --sink fast).", 0);
        var command = Scenario("send", "The whole pipeline (Hangfire, PostgreSQL ledger, SMTP pool) beside a plain SMTP loop and the sink's ceiling.",
            SendBenchmark.RunAsync,
            Count("--recipients", "Recipients in the list.", 10_000),
            Count("--connections", "SMTP connections.", 8),
            sink,
            OnOff("--dkim", "Sign every message.", false),
            OptionalCount("--ceiling-recipients", "Messages in the ceiling loop (default: recipients, at most 100,000)."),
            OptionalCount("--plain-recipients", "Messages in the plain MailKit loop (default: ceiling recipients, at most 5,000)."),
            stopAfter,
            OptionalCount("--lead-seconds", "Seconds between scheduling and the send's start (default: 3 + 1 per 100,000 recipients)."),
            Count("--warmup", "Recipients of the warm-up send (at most the recipients).", 20_000),
            rounds,
            new Option<string>("--maillog") { Description = "Postfix's log, for --sink postfix.", DefaultValueFactory = _ => "/var/log/postfix-sink.log" },
            Count("--port", "Postfix's port, for --sink postfix.", 2527));
        command.Validators.Add(result =>
        {
            if (result.GetValue(stopAfter) > 0 && result.GetValue(sink) != "fast")
                result.AddError("--stop-after needs --sink fast, which counts as it goes.");
        });
        return command;
    }

    private static Command Sink()
    {
        var control = OnOff("--control", "Run as SinkProcess's child: print the port, answer commands on standard input.", false);
        var command = new Command("sink", "The fast SMTP sink alone, for another client to drive.")
        {
            OptionalCount("--port", "Port to listen on (default: 2526; with --control on, any free port)."),
            Count("--seconds", "How long to listen.", 30),
            control,
        };
        command.SetAction(async (parse, _) =>
        {
            var arguments = new BenchArguments(parse);
            if (parse.GetValue(control) == On)
            {
                await SinkScenario.ServeAsync(arguments);
                return 0;
            }

            (await SinkScenario.RunAsync(arguments)).Print(Console.Out);
            return 0;
        });
        return command;
    }

    private static Command Scenario(string name, string description, Func<BenchArguments, Task<BenchReport>> run, params Option[] options)
    {
        var command = new Command(name, description);
        foreach (var option in options)
            command.Add(option);
        command.SetAction(async (parse, _) =>
        {
            try
            {
                (await run(new BenchArguments(parse))).Print(Console.Out);
                return 0;
            }
            catch (MissingToolException e)
            {
                Console.Error.WriteLine($"bench: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Option<int> Count(string name, string description, int fallback) =>
        new(name) { Description = description, DefaultValueFactory = _ => fallback, CustomParser = ParseCount };

    private static Option<int> AtLeastOne(Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
                result.AddError($"{option.Name} is 1 or more.");
        });
        return option;
    }

    private static Option<int?> OptionalCount(string name, string description) =>
        new(name) { Description = description, CustomParser = result => ParseCount(result) };

    private static Option<string> OnOff(string name, string description, bool fallback)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => fallback ? On : Off };
        option.AcceptOnlyFromAmong(On, Off);
        return option;
    }

    private static int ParseCount(ArgumentResult result)
    {
        var token = result.Tokens[0].Value;
        if (int.TryParse(token.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            return count;
        result.AddError($"'{token}' is not a whole number.");
        return 0;
    }
}
