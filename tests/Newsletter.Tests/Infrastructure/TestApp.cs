using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;
using Newsletter.Rendering;
using Newsletter.Server;

namespace Newsletter.Tests.Infrastructure;

/// <summary>
/// The real application (Kestrel, Hangfire server, our endpoints) on a loopback port, against a fresh
/// database and a real SMTP peer. Shared by the tests of one class.
/// </summary>
public partial class TestApp : IAsyncLifetime
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "admin-test-password";
    public const string OpsUser = "ops";
    public const string OpsPassword = "ops-test-password";

    private WebApplication? _app;

    public TestSmtpServer Smtp { get; } = new();

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"newsletter-app-{Guid.NewGuid():N}");

    public string ConnectionString { get; private set; } = "";

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>Settings a test class adds on top of the defaults, or replaces.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    /// <summary>Where a test class adds to the app's services or logging before it is built.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync(GetType().Name);
        await StartAppAsync();
    }

    /// <summary>Stops the application (jobs and web host) and starts a new one on the same database, as a redeploy would.</summary>
    public async Task RestartAsync()
    {
        await StopAppAsync();
        await StartAppAsync();
    }

    private async Task StartAppAsync()
    {
        var builder = AppHost.CreateBuilder([$"--urls=http://127.0.0.1:{FreePort()}"], runJobs: true);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Newsletter"] = ConnectionString,
            ["Newsletter:DataDirectory"] = DataDirectory,
            ["Newsletter:PublicUrl"] = "http://127.0.0.1:5000",
            ["Newsletter:Smtp:Host"] = "127.0.0.1",
            ["Newsletter:Smtp:Port"] = Smtp.Port.ToString(),
            ["Newsletter:Admin:User"] = AdminUser,
            ["Newsletter:Admin:Password"] = AdminPassword,
            ["Newsletter:Admin:OpsUser"] = OpsUser,
            ["Newsletter:Admin:OpsPasswordHash"] = Newsletter.Operations.OperatorCredentials.Hash(OpsPassword),
            ["Logging:LogLevel:Default"] = "Warning",
            // Perl costs seconds per new text; SpamAssassin's own tests score with it.
            ["Newsletter:Preflight:SpamAssassin"] = "false",
        });
        // A later source wins: a test class can replace a default (the relay's port, say), not only add;
        // within Settings the last value of a key wins, so a subclass can replace its base class's too.
        builder.Configuration.AddInMemoryCollection(Settings.GroupBy(setting => setting.Key).Select(key => key.Last()));
        // Razor compiles templates against the entry assembly, which under a test runner is the runner's.
        builder.Services.AddSingleton(sp => new MailRenderer(
            sp.GetRequiredService<IOptions<NewsletterOptions>>().Value, TemplateDirectory.Locate(), typeof(TestApp).Assembly));
        Configure(builder);
        _app = builder.Build();
        await AppHost.PrepareServerAsync(_app);
        _app.MapEndpoints();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    public virtual async Task DisposeAsync()
    {
        await StopAppAsync();
        await Smtp.DisposeAsync();
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true);
    }

    private async Task StopAppAsync()
    {
        if (_app is null)
            return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    /// <summary>A client with its own cookie jar that does not follow redirects, so tests see them.</summary>
    public HttpClient CreateClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = BaseAddress,
        };

    /// <summary>Signs in through the real login form (antiforgery token included).</summary>
    public static async Task<HttpResponseMessage> LogInAsync(HttpClient client, string user, string password)
    {
        var form = await client.GetStringAsync("/login");
        var token = AntiforgeryField().Match(form);
        return await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["user"] = user,
            ["password"] = password,
            ["returnUrl"] = "/hangfire",
        }));
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>__RequestVerificationToken[^"]*)" value="(?<value>[^"]+)"\s*/?>""")]
    internal static partial Regex AntiforgeryField();
}
