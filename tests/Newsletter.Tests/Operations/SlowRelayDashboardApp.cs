namespace Newsletter.Tests.Operations;

/// <summary>The dashboard's app sending a few messages a second, so that a send runs long enough to be watched.</summary>
public sealed class SlowRelayDashboardApp : DashboardSendsTestApp
{
    public const int MessagesPerSecond = 4;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. base.Settings,
        new("Newsletter:Smtp:MessagesPerSecond", MessagesPerSecond.ToString()),
    ];
}
