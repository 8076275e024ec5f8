using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Security;

/// <summary>A relay user with Security None would send the SMTP password in clear: the real executable refuses to start.</summary>
public sealed class SmtpCredentialsTests
{
    private const string Refusal = "Newsletter:Smtp:Security is None while Newsletter:Smtp:User is set";

    [Fact]
    public async Task CredentialsWithoutTlsToARemoteRelayStopTheStartNamingTheKey()
    {
        await using var server = ServerProcess.Start(Settings("smtp.example.com"));

        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(Refusal, server.Output);
        Assert.Contains("Newsletter:Smtp:AllowCredentialsWithoutTls", server.Output);
        Assert.DoesNotContain("   at ", server.Output);
    }

    [Theory]
    [InlineData("127.0.0.1", null)]
    [InlineData("localhost", null)]
    [InlineData("smtp.example.com", "true")]
    public async Task LoopbackRelayOrTheExplicitOptionIsAccepted(string host, string? allow)
    {
        var settings = Settings(host);
        if (allow is not null)
            settings["Newsletter:Smtp:AllowCredentialsWithoutTls"] = allow;
        await using var server = ServerProcess.Start(settings);

        // The start gets past the configuration and stops at the database, which is unreachable on purpose.
        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Cannot use the PostgreSQL database", server.Output);
        Assert.DoesNotContain(Refusal, server.Output);
    }

    private static Dictionary<string, string> Settings(string host) => new()
    {
        ["ConnectionStrings:Newsletter"] = "Host=127.0.0.1;Port=1;Username=u;Database=newsletter;Timeout=3",
        ["Newsletter:Smtp:Host"] = host,
        ["Newsletter:Smtp:Security"] = "None",
        ["Newsletter:Smtp:User"] = "mailer",
        ["Newsletter:Smtp:Password"] = "hunter2",
    };
}
