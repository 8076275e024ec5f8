namespace Newsletter.Benchmarks;

/// <summary>One wrk run: its rate, latency percentiles in milliseconds, answers other than 2xx/3xx and socket errors.</summary>
public sealed record WrkResult(double RequestsPerSecond, long Requests, double P50Ms, double P99Ms, long Non2xx, long SocketErrors);
