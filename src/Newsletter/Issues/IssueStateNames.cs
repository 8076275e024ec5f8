namespace Newsletter.Issues;

/// <summary>The one mapping between <see cref="IssueState"/> and its word, in SQL results and in page addresses.</summary>
public static class IssueStateNames
{
    public static string Name(this IssueState state) => state switch
    {
        IssueState.Draft => "draft",
        IssueState.Ready => "ready",
        IssueState.Scheduled => "scheduled",
        IssueState.Sent => "sent",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static IssueState ToIssueState(string name) =>
        TryParse(name, out var state) ? state : throw new ArgumentOutOfRangeException(nameof(name), name, "Not an issue state.");

    public static bool TryParse(string? name, out IssueState state)
    {
        foreach (var candidate in Enum.GetValues<IssueState>())
        {
            if (candidate.Name() == name)
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }
}
