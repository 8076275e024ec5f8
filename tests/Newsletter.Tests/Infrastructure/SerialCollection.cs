namespace Newsletter.Tests.Infrastructure;

/// <summary>
/// Test classes that must have the machine to themselves: they measure rates or timings, kill or stop
/// PostgreSQL, read process-wide state (environment variables, metrics by meter name), or count what
/// every server on the machine does. xunit runs this collection after the parallel ones, alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
