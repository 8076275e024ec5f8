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
}
