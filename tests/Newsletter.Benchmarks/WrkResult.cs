namespace Newsletter.Benchmarks;

/// <summary>
/// One wrk run: its rate, latency percentiles in milliseconds, answers other than 2xx/3xx, socket errors, and
/// wrk's own CPU microseconds a request (null when GNU time was not there to measure it).
/// </summary>
public sealed record WrkResult(double RequestsPerSecond, long Requests, double P50Ms, double P99Ms, long Non2xx, long SocketErrors, double? WrkUs);
