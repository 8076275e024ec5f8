namespace Newsletter.Api;

/// <summary>The live key a request presented: who made it (for the log and rate limit) and what it may do.</summary>
public sealed record ApiCaller(long KeyId, string Name, bool ReadOnly);
