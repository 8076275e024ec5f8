namespace Newsletter.Rendering;

/// <summary>
/// A template that is missing or does not compile. The message names the file (and line when known);
/// the fix is in <c>templates/</c>, not in the issue.
/// </summary>
public sealed class TemplateException : NewsletterException
{
    public TemplateException(string file, int line, string reason, Exception? inner = null)
        : base(line > 0 ? $"{file}:{line}: {reason}" : $"{file}: {reason}", inner)
    {
        File = file;
        Line = line;
    }

    public string File { get; }

    /// <summary>1-based line in the template; 0 when unknown.</summary>
    public int Line { get; }
}
