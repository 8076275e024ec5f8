namespace Newsletter.Preflight;

/// <summary>Every check's lines for one issue, in the order the checks ran.</summary>
public sealed record PreflightReport(string IssueSlug, IReadOnlyList<PreflightLine> Lines)
{
    public IEnumerable<PreflightLine> Failures => Lines.Where(line => line.Verdict == PreflightVerdict.Fail);

    public bool HasFailures => Failures.Any();
}
