namespace Newsletter.Benchmarks;

/// <summary>An endpoint under wrk with no send running, and the CPU microseconds a request cost the server and PostgreSQL.</summary>
public sealed record IdleLoad(WrkResult Load, double ServerUs, double PostgresUs);
