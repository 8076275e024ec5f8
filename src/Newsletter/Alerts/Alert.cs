namespace Newsletter.Alerts;

/// <summary>
/// What the operator is told. <paramref name="Subject"/> says what happened in a line ("send 42 paused itself");
/// <paramref name="Body"/> names the send or schedule, why, and the command or page to act on.
/// </summary>
/// <param name="Event">
/// Set when the same event may be raised again (a watcher finding the same state on its next round): it is
/// alerted once. Null when the raiser sees the event happen only once (a status change).
/// </param>
public sealed record Alert(string Subject, string Body, string? Event = null);
