namespace Newsletter.Api;

/// <summary>An API key as <c>api-keys list</c> shows it; the key itself is never stored.</summary>
public sealed record ApiKeyRecord(long Id, string Name, bool ReadOnly, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);
