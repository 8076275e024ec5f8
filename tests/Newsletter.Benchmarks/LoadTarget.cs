namespace Newsletter.Benchmarks;

/// <summary>An endpoint <c>load</c> drives with wrk: a path, or a wrk script and its arguments that make the requests.</summary>
public sealed record LoadTarget(string Name, string Path, string? Script = null, params string[] ScriptArguments);
