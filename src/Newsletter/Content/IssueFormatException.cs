namespace Newsletter.Content;

/// <summary>
/// An issue file that cannot be turned into an <see cref="Issue"/>: unreadable, malformed front matter,
/// no title. The message always starts with <c>file:line:</c> so editors and CI logs can jump to it.
/// </summary>
public sealed class IssueFormatException : NewsletterException
{
    public IssueFormatException(string file, int line, string reason, Exception? inner = null)
        : base(line > 0 ? $"{file}:{line}: {reason}" : $"{file}: {reason}", inner)
    {
        File = file;
        Line = line;
        Reason = reason;
    }

    public string File { get; }

    /// <summary>1-based line of the problem; 0 when it concerns the whole file.</summary>
    public int Line { get; }

    public string Reason { get; }
}
