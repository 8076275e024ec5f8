using Microsoft.Extensions.Options;
using Newsletter.Alerts;
using Newsletter.Api;
using Newsletter.Configuration;
using Newsletter.Archive;
using Newsletter.Authoring;
using Newsletter.Bounces;
using Newsletter.Issues;
using Newsletter.Jobs;
using Newsletter.Mail;
using Newsletter.Operations;
using Newsletter.Pages;
using Newsletter.Preflight;
using Newsletter.Rendering;
using Newsletter.Sending;
using Newsletter.Scheduling;
using Newsletter.Storage;
using Newsletter.Subscribers;
using Newsletter.Telemetry;

namespace Newsletter.Server;

/// <summary>
/// Builds the one application every verb uses, so the CLI and the server read the same configuration
/// and, unconfigured, the same local database.
/// </summary>
public static class AppHost
{
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>Configuration: appsettings.json of the working directory, then environment variables, then arguments.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, bool runJobs)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls(DefaultUrl);

        builder.Services.AddNewsletterOptions();
        builder.Services.AddStorage();
        builder.Services.AddJobs(runServer: runJobs);
        builder.Services.AddSharedKeyRing();
        builder.Services.AddOperatorAuthentication();
        builder.Services.AddHealth();
        builder.Services.AddTelemetry();
        builder.Services.AddMetricsEndpoint();
        builder.Services.AddRendering();
        builder.Services.AddMail();
        builder.Services.AddAlerts();
        builder.Services.AddIssues();
        builder.Services.AddSubscribers();
        builder.Services.AddPreflight();
        builder.Services.AddSending();
        builder.Services.AddScheduling();
        builder.Services.AddBounces();
        builder.Services.AddAlertWatch();
        builder.Services.AddPages();
        builder.Services.AddArchive();
        builder.Services.AddApi();
        return builder;
    }

    /// <summary>The data folder, full path, before the options are bound (logging needs it first).</summary>
    public static string DataDirectory(IConfiguration configuration) =>
        Path.GetFullPath(configuration[$"{NewsletterOptions.Section}:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : new NewsletterOptions().DataDirectory);

    /// <summary>
    /// Validates configuration and provides the migrated database. Must run before the app starts or
    /// any service that touches the database is used.
    /// </summary>
    /// <exception cref="StartupException">Configuration is invalid or the database cannot be had.</exception>
    /// <param name="report">Where to say what was started (the local database); standard error by default.</param>
    public static async Task PrepareAsync(WebApplication app, Action<string>? report = null, CancellationToken cancellationToken = default)
    {
        ValidateConfiguration(app.Services);

        try
        {
            SqlQueries.CheckStores(typeof(SqlQueries).Assembly);
        }
        catch (InvalidOperationException e)
        {
            throw new StartupException("This build's SQL is broken: " + e.Message, e);
        }

        var options = app.Services.GetRequiredService<IOptions<NewsletterOptions>>().Value;
        var connectionString = await DatabaseStartup.PrepareAsync(
            app.Configuration.GetConnectionString("Newsletter"), options.DataDirectory, report ?? Console.Error.WriteLine, cancellationToken);
        app.Services.GetRequiredService<DatabaseLocation>().Set(connectionString);
        // Every link a mail carries is signed with the shared secret: load it before anything makes one.
        await app.Services.GetRequiredService<SubscriptionTokens>().LoadSecretAsync(cancellationToken);
    }

    /// <summary>Binds and validates every options section, as the start does.</summary>
    /// <exception cref="StartupException">A setting is invalid or does not convert to its type; the message names its key.</exception>
    public static void ValidateConfiguration(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException e)
        {
            throw Invalid(e.Failures);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            // Several sections failed: each is one OptionsValidationException.
            throw Invalid(e.InnerExceptions.SelectMany(inner => ((OptionsValidationException)inner).Failures));
        }
        catch (InvalidOperationException e)
        {
            // The binder's, such as "Failed to convert configuration value 'x' at 'Newsletter:Smtp:Port' to type 'System.Int32'."
            throw new StartupException("The configuration is not valid: " + e.Message, e);
        }

        static StartupException Invalid(IEnumerable<string> failures) =>
            new("The configuration is not valid: " + string.Join(" ", failures));
    }

    /// <summary>
    /// <see cref="PrepareAsync"/> for a process that will start its host, whose start loads the templates:
    /// any missing from the cache are compiled first by a child process. One-shot verbs never render.
    /// </summary>
    /// <exception cref="StartupException">As <see cref="PrepareAsync"/>, or a template does not compile.</exception>
    /// <param name="databaseReport">As <see cref="PrepareAsync"/>'s report.</param>
    /// <param name="templatesReport">Where to say that templates were compiled; standard error by default.</param>
    public static async Task PrepareServerAsync(WebApplication app, Action<string>? databaseReport = null,
        Action<string>? templatesReport = null, CancellationToken cancellationToken = default)
    {
        await PrepareAsync(app, databaseReport, cancellationToken);
        await KeyRingSetup.LoadKeyRingAsync(app.Services, cancellationToken);
        await TemplatePrecompilation.EnsureAsync(app.Services.GetRequiredService<MailRenderer>(),
            templatesReport ?? Console.Error.WriteLine, cancellationToken);
    }

    public static WebApplication MapEndpoints(this WebApplication app)
    {
        app.UseConfiguredProxies();
        app.UseSecurityHeaders();
        app.UseUnreadableRequestAnswers();
        app.UsePageAssets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealth();
        app.MapMetrics();
        app.MapOperatorLogin();
        app.MapOpsDashboard();
        app.MapSubscriptionPages();
        app.MapArchivePages();
        app.MapAuthoringPages();
        app.MapApi();
        app.MapBounceWebhooks();
        return app;
    }
}
