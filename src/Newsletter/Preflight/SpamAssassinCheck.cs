using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace Newsletter.Preflight;

/// <summary>
/// Scores the built message with SpamAssassin, when installed, on its local rules only (<c>-L</c>: no
/// blocklists, no network), as a receiving filter would. Without SpamAssassin the line is a warning, never a failure.
/// A score is kept for the same subject, sender and parts (local rules give the same score), so reloading the editor
/// or scheduling the issue it has just checked does not run Perl again.
/// </summary>
/// <param name="program">The executable, found on PATH unless a path is given.</param>
public sealed partial class SpamAssassinCheck(string program = "spamassassin")
{
    public const string Name = "spamassassin";

    // Perl's start-up and the rule set take one to three seconds here; a minute means it hangs.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private const int KeptScores = 64;
    private const string Scores = "SpamAssassin scores";

    private readonly ConcurrentDictionary<string, PreflightLine> _scores = new();

    /// <summary>The line when <c>Newsletter:Preflight:SpamAssassin</c> is false.</summary>
    public static PreflightLine SwitchedOff { get; } = new(Name, PreflightVerdict.Warn,
        "SpamAssassin is switched off (Newsletter:Preflight:SpamAssassin), so the issue was not scored");

    public async Task<PreflightLine> CheckAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\0', message.Subject, message.From.ToString(), message.HtmlBody, message.TextBody))));
        if (_scores.TryGetValue(key, out var kept))
            return kept;
        var line = await RunAsync(message, cancellationToken).ConfigureAwait(false);
        // Only a score is kept: a run that failed or timed out is tried again next time.
        if (line.Message.StartsWith(Scores, StringComparison.Ordinal))
        {
            if (_scores.Count >= KeptScores)
                _scores.Clear();
            _scores[key] = line;
        }
        return line;
    }

    private async Task<PreflightLine> RunAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        // A home of its own: no Bayes database or preferences of whoever runs the app, and nothing left behind.
        var home = Directory.CreateTempSubdirectory("newsletter-spamassassin");
        try
        {
            var start = new ProcessStartInfo(program)
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            start.ArgumentList.Add("-L");
            start.ArgumentList.Add("-t");
            start.Environment["HOME"] = home.FullName;
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (Win32Exception)
            {
                return new PreflightLine(Name, PreflightVerdict.Warn,
                    "spamassassin not installed, so the issue was not scored (Debian: apt-get install spamassassin)");
            }

            using (process)
                return await ScoreAsync(process, message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    private static async Task<PreflightLine> ScoreAsync(Process process, MimeMessage message, CancellationToken cancellationToken = default)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(patience.Token);
            var error = process.StandardError.ReadToEndAsync(patience.Token);
            try
            {
                await message.WriteToAsync(process.StandardInput.BaseStream, patience.Token).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It stopped reading: its exit code and standard error say why.
            }

            await process.WaitForExitAsync(patience.Token).ConfigureAwait(false);
            return process.ExitCode == 0
                ? Read(await output.ConfigureAwait(false))
                : new PreflightLine(Name, PreflightVerdict.Warn,
                    $"spamassassin failed (exit code {process.ExitCode}), so the issue was not scored: {LastLine(await error.ConfigureAwait(false))}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PreflightLine(Name, PreflightVerdict.Warn, $"spamassassin gave no score within {Patience.TotalSeconds:0} seconds");
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Reads the score, the threshold and the rules from the report <c>-t</c> appends.</summary>
    private static PreflightLine Read(string output)
    {
        var summary = Summary().Match(output);
        if (!summary.Success)
            return new PreflightLine(Name, PreflightVerdict.Warn, "spamassassin's answer held no score");
        var score = double.Parse(summary.Groups["score"].Value, CultureInfo.InvariantCulture);
        var required = double.Parse(summary.Groups["required"].Value, CultureInfo.InvariantCulture);
        var rules = Rules(output[(summary.Index + summary.Length)..]);
        var detail = string.Join('\n', rules);
        var scored = $"{Scores} the message {score:0.0} (spam from {required:0.0})";
        if (score >= required)
            return new PreflightLine(Name, PreflightVerdict.Fail, $"{scored}: filters would file it as spam; see the rules that scored", detail);
        return score >= required / 2
            ? new PreflightLine(Name, PreflightVerdict.Warn, $"{scored}: close enough that stricter filters may file it as spam", detail)
            : new PreflightLine(Name, PreflightVerdict.Pass, scored, detail);
    }

    /// <summary>The report's table (<c>pts rule name description</c>), one rule a line, its wrapped description joined.</summary>
    private static List<string> Rules(string report)
    {
        var rules = new List<string>();
        foreach (var line in report.Split('\n'))
        {
            var row = RuleRow().Match(line);
            if (row.Success)
                rules.Add($"{row.Groups["rule"].Value} ({row.Groups["points"].Value}): {row.Groups["description"].Value.Trim()}");
            else if (rules.Count > 0 && line.StartsWith("     ", StringComparison.Ordinal) && line.Trim().Length > 0)
                rules[^1] += " " + line.Trim();
            else if (rules.Count > 0 && line.Trim().Length == 0)
                break;
        }
        return rules;
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";

    [GeneratedRegex(@"Content analysis details:\s+\((?<score>-?[0-9.]+) points, (?<required>-?[0-9.]+) required\)")]
    private static partial Regex Summary();

    [GeneratedRegex(@"^\s*(?<points>-?[0-9]+\.[0-9]+)\s+(?<rule>[A-Z0-9_]+)\s+(?<description>.*)$")]
    private static partial Regex RuleRow();
}
