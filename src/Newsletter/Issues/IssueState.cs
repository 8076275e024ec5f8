namespace Newsletter.Issues;

/// <summary>
/// Where an issue stands, as the author's list shows it: a draft, ready for the weekly schedule, scheduled
/// (a send waits for its time) or sent (a send has started). A later state wins: an issue sent to one list
/// and scheduled for another is sent.
/// </summary>
public enum IssueState
{
    Draft,
    Ready,
    Scheduled,
    Sent,
}
