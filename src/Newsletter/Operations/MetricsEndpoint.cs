using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Telemetry;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Newsletter.Operations;

/// <summary>
/// <c>GET /metrics</c>: OpenTelemetry's metrics in Prometheus' text format: the <c>Newsletter</c> meter
/// (<see cref="NewsletterMetrics"/>, <see cref="DatabaseGauges"/>), ASP.NET Core's HTTP server, outgoing HTTP and
/// Npgsql. Signed-in operators and scrapers with the configured token only; anyone else gets a 401, never the
/// sign-in page, since a scraper needs a status code.
/// </summary>
public static class MetricsEndpoint
{
    private const string Path = "/metrics";

    public static IServiceCollection AddMetricsEndpoint(this IServiceCollection services)
    {
        services.AddSingleton<MetricsStore>();
        services.AddSingleton<DatabaseGauges>();
        services.AddSingleton<ScrapeAccess>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("newsletter"))
            .WithMetrics(metrics => metrics
                .AddMeter(NewsletterMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()
                // No response cache: the database gauges have their own, and the counters must be current when read.
                .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: scrape => scrape.Use(GuardAsync),
            optionsName: null);
        return endpoints;
    }

    private static async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!await context.RequestServices.GetRequiredService<ScrapeAccess>().AllowsAsync(context))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return;
        }
        await context.RequestServices.GetRequiredService<DatabaseGauges>().RefreshAsync(context.RequestAborted);
        await next(context);
    }
}
