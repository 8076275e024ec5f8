namespace Newsletter.Content;

/// <summary>
/// An issue as the author wrote it, in the shape subscribers read it: a letter, then sections.
/// The structure (contents, links appendix) is derived once by <see cref="IssueReader"/>; what depends on
/// how the blocks read (HTML, plain text, reading time, a preheader taken from the intro) is Rendering's.
/// </summary>
public sealed record Issue
{
    public required string Title { get; init; }

    public DateOnly? Date { get; init; }

    /// <summary>URL-safe name, from the front matter or derived from the date and title.</summary>
    public required string Slug { get; init; }

    /// <summary>Subject line; defaults to the title. May hold merge tokens such as <c>{{name}}</c>.</summary>
    public required string Subject { get; init; }

    /// <summary>Inbox preview text from the front matter; null lets the mail take the start of the intro.</summary>
    public string? Preheader { get; init; }

    public string? Author { get; init; }

    /// <summary>Closing words after the last section (front matter <c>sign-off</c>), one entry per line.</summary>
    public IReadOnlyList<string> SignOff { get; init; } = [];

    /// <summary>The letter before the first section.</summary>
    public IReadOnlyList<IssueBlock> Intro { get; init; } = [];

    public IReadOnlyList<IssueSection> Sections { get; init; } = [];

    /// <summary>Every http(s) or mailto link in the issue, first occurrence of each URL, in reading order.</summary>
    public IReadOnlyList<IssueLink> Links { get; init; } = [];

    /// <summary>The "In this issue" list: section titles and the anchors they jump to.</summary>
    public IEnumerable<IssueLink> Contents => Sections.Select(s => new IssueLink(s.Title, "#" + s.AnchorId));
}
