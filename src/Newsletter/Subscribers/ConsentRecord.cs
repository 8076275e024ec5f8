namespace Newsletter.Subscribers;

/// <summary>One event of the consent trail: what happened, when, through what (<c>form</c>, <c>import</c>, …) and from which client; <see cref="Detail"/> is JSON.</summary>
public sealed record ConsentRecord(long Id, DateTime At, string Action, string Source, string? ListSlug, string? Ip, string? UserAgent, string? Detail);
