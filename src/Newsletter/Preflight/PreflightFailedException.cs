namespace Newsletter.Preflight;

/// <summary>The issue's preflight has failing lines (<see cref="Report"/>), and the send did not override them; nothing was created.</summary>
public sealed class PreflightFailedException(PreflightReport report) : NewsletterException(Describe(report))
{
    public PreflightReport Report { get; } = report;

    private static string Describe(PreflightReport report) =>
        $"Issue {report.IssueSlug} fails its preflight ({string.Join(", ", report.Failures.Select(f => f.Check).Distinct())}).";
}
