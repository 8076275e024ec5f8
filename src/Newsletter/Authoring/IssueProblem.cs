using Newsletter.Content;

namespace Newsletter.Authoring;

/// <summary>What is wrong with an issue's text, as <c>render</c> reports it: a line (0 for the whole text) and the reason.</summary>
public sealed record IssueProblem(int Line, string Reason, string? LineText)
{
    /// <param name="source">The text that was read, to quote the line from; null when it was not text.</param>
    public static IssueProblem Of(IssueFormatException e, string? source)
    {
        ArgumentNullException.ThrowIfNull(e);
        var lines = source?.ReplaceLineEndings("\n").Split('\n') ?? [];
        return new IssueProblem(e.Line, e.Reason, e.Line > 0 && e.Line <= lines.Length ? lines[e.Line - 1] : null);
    }
}
