using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Newsletter.Benchmarks;

/// <summary>
/// wrk, the HTTP load generator (Debian package <c>wrk</c>): installed with apt when missing and this process
/// is root, run with <c>--latency</c>, its summary read back as figures.
/// </summary>
public static partial class Wrk
{
    private const string Package = "wrk";
    private const string GnuTime = "/usr/bin/time";

    /// <exception cref="MissingToolException">wrk is not installed and cannot be installed here.</exception>
    public static async Task EnsureInstalledAsync()
    {
        if (IsOnPath())
            return;
        if (!Environment.IsPrivilegedProcess)
            throw new MissingToolException($"load needs the Debian package {Package}: run `sudo apt-get install -y {Package}` (or run as root to have it installed).");
        Console.Error.WriteLine($"installing the Debian package {Package}");
        foreach (var arguments in new[] { new[] { "update", "-q" }, ["install", "-y", "-q", "--no-install-recommends", Package] })
        {
            var (exitCode, output) = await RunAsync("apt-get", ["-o", "DPkg::Lock::Timeout=600", .. arguments]);
            if (exitCode != 0)
                throw new MissingToolException($"apt-get {arguments[0]} for {Package} failed: {output.Trim().Split('\n')[^1]}");
        }
        if (!IsOnPath())
            throw new MissingToolException($"apt-get installed {Package} but there is no wrk on PATH.");
    }

    /// <summary>Drives <paramref name="url"/> for <paramref name="seconds"/>; a script and its arguments are optional.</summary>
    public static async Task<WrkResult> RunAsync(
        Uri url, int threads, int connections, int seconds, string? script = null, params string[] scriptArguments)
    {
        List<string> arguments = [$"-t{threads}", $"-c{connections}", $"-d{seconds}s", "--latency"];
        if (script is not null)
            arguments.AddRange(["-s", script]);
        arguments.Add(url.ToString());
        if (scriptArguments.Length > 0)
            arguments.AddRange(["--", .. scriptArguments]);
        // wrk shares the machine with what it measures: GNU time (Debian's time) reports its own CPU, when there.
        var (exitCode, output) = File.Exists(GnuTime)
            ? await RunAsync(GnuTime, ["-f", "wrk-cpu %U %S", Package, .. arguments])
            : await RunAsync(Package, arguments);
        if (exitCode != 0)
            throw new InvalidOperationException($"wrk exited with {exitCode}:\n{output}");
        return Parse(output);
    }

    /// <summary>Reads wrk's summary: requests/sec, the latency distribution, non-2xx answers and socket errors.</summary>
    public static WrkResult Parse(string output)
    {
        var rate = RequestsPerSecond().Match(output);
        var total = Requests().Match(output);
        if (!rate.Success || !total.Success)
            throw new InvalidOperationException($"wrk's output has no summary:\n{output}");
        var latencies = Percentile().Matches(output).ToDictionary(m => m.Groups["p"].Value, m => Milliseconds(m.Groups["value"].Value, m.Groups["unit"].Value));
        var non2xx = NonSuccess().Match(output);
        var errors = SocketErrors().Match(output);
        var cpu = OwnCpu().Match(output);
        return new WrkResult(
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture),
            latencies.GetValueOrDefault("50", double.NaN),
            latencies.GetValueOrDefault("99", double.NaN),
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            errors.Success ? errors.Groups["n"].Captures.Sum(c => long.Parse(c.Value, CultureInfo.InvariantCulture)) : 0,
            cpu.Success ? (Seconds(cpu.Groups[1].Value) + Seconds(cpu.Groups[2].Value)) * 1e6 / long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture) : null);
    }

    private static double Milliseconds(string value, string unit) => double.Parse(value, CultureInfo.InvariantCulture) * unit switch
    {
        "us" => 0.001,
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        _ => throw new InvalidOperationException($"wrk printed a latency in '{unit}'."),
    };

    private static double Seconds(string value) => double.Parse(value, CultureInfo.InvariantCulture);

    private static bool IsOnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, Package)));

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s*(\d+) requests in", RegexOptions.Multiline)]
    private static partial Regex Requests();

    [GeneratedRegex(@"^\s*(?<p>\d+)%\s+(?<value>[\d.]+)(?<unit>us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex Percentile();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"^wrk-cpu ([\d.]+) ([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex OwnCpu();

    [GeneratedRegex(@"Socket errors:(?:\s+\w+\s+(?<n>\d+),?)+")]
    private static partial Regex SocketErrors();
}
