namespace Newsletter.Subscribers;

public sealed record SubscribeResult(SubscribeOutcome Outcome, long? SubscriberId);
