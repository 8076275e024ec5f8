namespace Newsletter.Authoring;

/// <summary>What an action has to say on the issue editor: saved, test copies queued, or why a test or a send was refused.</summary>
public sealed record EditorNotes
{
    public bool Saved { get; init; }

    /// <summary>The send form as posted, when a send was refused; null shows the form empty.</summary>
    public SendForm? Send { get; init; }

    public string? SendProblem { get; init; }

    /// <summary>The test addresses as typed, when they were refused.</summary>
    public string TestTo { get; init; } = "";

    public string? TestNote { get; init; }

    public string? TestProblem { get; init; }
}
