namespace Newsletter.Sending;

/// <summary>One event of the consent log, as the outcome writer reads it; <c>ListId</c> null means every list.</summary>
public sealed record ConsentChange(long Id, long? SubscriberId, long? ListId, bool Withdrawn);
