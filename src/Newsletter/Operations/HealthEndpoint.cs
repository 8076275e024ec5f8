using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Operations;

/// <summary>
/// <c>GET /healthz</c>: the database, checked per request (one pooled round trip), and the relay and Hangfire
/// as last probed in the background every <see cref="HealthOptions.ProbeSeconds"/>, so any load on it costs
/// the relay nothing. Anyone gets the status of each part; signed-in operators also get why.
/// </summary>
public static class HealthEndpoint
{
    private const string PerRequest = "per-request";
    private const string Background = "background";
    private static readonly string[] BackgroundParts = ["relay", "hangfire"];
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly HealthReportEntry NotYetProbed =
        // Degraded, not unhealthy: a readiness check must not fail a new instance in its first seconds.
        new(HealthStatus.Degraded, "not probed yet", TimeSpan.Zero, exception: null, data: null);

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddSingleton<HealthStore>();
        services.AddSingleton<LastHealthReport>();
        services.AddSingleton<IHealthCheckPublisher>(sp => sp.GetRequiredService<LastHealthReport>());
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [PerRequest], timeout: ProbeTimeout)
            .AddCheck<RelayHealthCheck>("relay", tags: [Background], timeout: ProbeTimeout)
            .AddCheck<HangfireHealthCheck>("hangfire", tags: [Background], timeout: ProbeTimeout);
        services.AddOptions<HealthCheckPublisherOptions>().Configure<IOptions<HealthOptions>>((publisher, health) =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = TimeSpan.FromSeconds(health.Value.ProbeSeconds);
            publisher.Timeout = ProbeTimeout;
            publisher.Predicate = check => check.Tags.Contains(Background);
        });
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", async (HttpContext context, HealthCheckService checks, LastHealthReport probed,
            IAuthorizationService authorization, CancellationToken cancellationToken) =>
        {
            var live = await checks.CheckHealthAsync(check => check.Tags.Contains(PerRequest), cancellationToken);
            var parts = new Dictionary<string, HealthReportEntry>(live.Entries);
            foreach (var part in BackgroundParts)
                parts[part] = probed.Report?.Entries.GetValueOrDefault(part, NotYetProbed) ?? NotYetProbed;
            var status = parts.Values.Min(entry => entry.Status);

            context.Response.Headers.CacheControl = "no-store";
            var showDetail = (await authorization.AuthorizeAsync(context.User, OperatorAuthentication.DashboardPolicyName)).Succeeded;
            var summary = parts.ToDictionary(p => p.Key, p => Word(p.Value.Status));
            object body = showDetail
                ? new
                {
                    status = Overall(status),
                    checks = summary,
                    probedAt = probed.At,
                    detail = parts.ToDictionary(p => p.Key, p => new
                    {
                        status = Word(p.Value.Status),
                        description = p.Value.Description,
                        error = p.Value.Exception is { } e ? $"{e.GetType().Name}: {e.Message}" : null,
                        milliseconds = Math.Round(p.Value.Duration.TotalMilliseconds, 1),
                    }),
                }
                : new { status = Overall(status), checks = summary };
            return Results.Json(body, statusCode: status == HealthStatus.Unhealthy
                ? StatusCodes.Status503ServiceUnavailable
                : StatusCodes.Status200OK);
        });
        return endpoints;
    }

    private static string Word(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "ok",
        HealthStatus.Degraded => "degraded",
        _ => "failing",
    };

    private static string Overall(HealthStatus status) => status == HealthStatus.Unhealthy ? "unhealthy" : Word(status);
}
