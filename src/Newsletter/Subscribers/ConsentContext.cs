namespace Newsletter.Subscribers;

/// <summary>Where a consent change came from, for the audit trail: <c>form</c>, <c>link</c>, <c>one-click</c>, <c>import</c>, …</summary>
public sealed record ConsentContext(string Source, string? Ip = null, string? UserAgent = null);
