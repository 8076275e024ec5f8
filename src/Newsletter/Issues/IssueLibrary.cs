using Newsletter.Content;

namespace Newsletter.Issues;

/// <summary>Adds issue files to the store: read and checked first, so only valid issues are kept.</summary>
public sealed class IssueLibrary(IssueStore issues, IssueReader reader)
{
    /// <summary>Reads and stores an issue file (replacing an earlier version of the same slug).</summary>
    /// <exception cref="IssueFormatException">The file is not a valid issue.</exception>
    public async Task<IssueRecord> AddIssueAsync(string path, CancellationToken cancellationToken = default)
    {
        var issue = await reader.ReadAsync(path, cancellationToken);
        var source = await File.ReadAllTextAsync(path, cancellationToken);
        var id = await issues.UpsertIssueAsync(issue.Slug, issue.Title, source, Path.GetFullPath(path), cancellationToken);
        return await issues.GetIssueAsync(id, cancellationToken);
    }

    /// <summary>Reads and stores an issue from its Markdown text, replacing the issue of the same slug if there is one.</summary>
    /// <param name="file">Names the text in error messages.</param>
    /// <returns>The issue as stored, and whether it is new.</returns>
    /// <exception cref="IssueFormatException">The text is not a valid issue; nothing was stored.</exception>
    public async Task<(IssueRecord Issue, bool Created)> PutIssueAsync(string source, string file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var issue = reader.Parse(source, file);
        var existed = await issues.FindIssueAsync(issue.Slug, cancellationToken) is not null;
        var id = await issues.UpsertIssueAsync(issue.Slug, issue.Title, source, null, cancellationToken);
        return (await issues.GetIssueAsync(id, cancellationToken), !existed);
    }

    /// <summary>Reads and stores a new issue from its Markdown text, as pasted or uploaded.</summary>
    /// <param name="file">Names the text in error messages (an uploaded file's name, say).</param>
    /// <exception cref="IssueFormatException">The text is not a valid issue.</exception>
    /// <exception cref="IssueSlugTakenException">Another issue has the slug; nothing was stored.</exception>
    public async Task<IssueRecord> CreateIssueAsync(string source, string file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var issue = reader.Parse(source, file);
        var id = await issues.InsertIssueAsync(issue.Slug, issue.Title, source, cancellationToken)
            ?? throw new IssueSlugTakenException(issue.Slug);
        return await issues.GetIssueAsync(id, cancellationToken);
    }

    /// <summary>Replaces a stored issue's text; its slug follows the text, as long as no other issue has it.</summary>
    /// <returns>The issue as stored; null when no issue has the id.</returns>
    /// <exception cref="IssueFormatException">The text is not a valid issue; nothing was stored.</exception>
    /// <exception cref="IssueSlugTakenException">Another issue has the slug; nothing was stored.</exception>
    /// <exception cref="IssueSlugFixedException">The issue has gone out and the new text changes its slug; nothing was stored.</exception>
    public async Task<IssueRecord?> UpdateIssueAsync(long id, string source, string file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var issue = reader.Parse(source, file);
        if (await issues.UpdateIssueAsync(id, issue.Slug, issue.Title, source, cancellationToken))
            return await issues.GetIssueAsync(id, cancellationToken);
        if (await issues.FindIssueAsync(id, cancellationToken) is not { } stored)
            return null;
        if (stored.Slug != issue.Slug && await issues.FindPublishedIssueAsync(stored.Slug, cancellationToken) is not null)
            throw new IssueSlugFixedException(stored.Slug);
        throw new IssueSlugTakenException(issue.Slug);
    }
}
