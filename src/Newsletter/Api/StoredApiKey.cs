namespace Newsletter.Api;

/// <summary>A live key's row as the bearer check reads it.</summary>
public sealed record StoredApiKey(long Id, string Name, byte[] KeyHash, bool ReadOnly, DateTime? LastUsedAt);
