using Newsletter.SmtpSink;

namespace Newsletter.Tests.Sending;

/// <summary>The sending app with production-sized batches and pool, relaying to a <see cref="FastSmtpSink"/>.</summary>
public sealed class SmokeSendApp : SendingTestApp, IAsyncLifetime
{
    public FastSmtpSink Sink { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings
    {
        get
        {
            var mine = new Dictionary<string, string?>
            {
                ["Newsletter:Smtp:Port"] = Sink.Port.ToString(),
                ["Newsletter:Smtp:PoolSize"] = "8",
                // Several batches per connection, so hand-over between batch jobs is part of the run.
                ["Newsletter:Sending:BatchSize"] = "100",
            };
            return base.Settings.Where(setting => !mine.ContainsKey(setting.Key)).Concat(mine);
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Sink.DisposeAsync();
    }
}
