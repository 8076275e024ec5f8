namespace Newsletter.Sending;

/// <summary>
/// One answer of the relay and how many of a send's readers got it: <see cref="DeliveryStatus.Pending"/> ones wait for a
/// retry (or for the resume of a paused send), <see cref="DeliveryStatus.Failed"/> ones were given up on.
/// </summary>
public sealed record RelayAnswer(DeliveryStatus Status, string Answer, int Readers);
