using System.Net;
using Newsletter.Tests.Sending;

namespace Newsletter.Tests.Operations;

/// <summary>The sending app with a short failure streak before a send pauses itself, and sign-ins as often as tests need.</summary>
public class DashboardSendsTestApp : SendingTestApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. base.Settings,
        new("Newsletter:Sending:PauseAfterConsecutiveFailures", "5"),
        new("Newsletter:Admin:LoginAttemptsPerMinute", "1000"),
        new("Newsletter:Admin:LoginAttemptsPerUserPerMinute", "1000"),
    ];

    public async Task<HttpClient> OpsAsync()
    {
        var client = CreateClient();
        Assert.Equal(HttpStatusCode.Redirect, (await LogInAsync(client, OpsUser, OpsPassword)).StatusCode);
        return client;
    }
}
