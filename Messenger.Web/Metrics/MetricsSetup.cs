using Messenger.Messages.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Messenger.Web.Metrics;

/// <summary>
/// OpenTelemetry metrics at <c>GET /metrics</c> in Prometheus text format: the Messenger meter (sends, journal,
/// inboxes, rejections) plus what the framework already measures, so one scrape shows the send path, the
/// connections and the memory the bench and an operator care about.
/// </summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    /// <summary>Built-in meters read next to ours.</summary>
    public static readonly string[] FrameworkMeters =
    [
        // kestrel.upgraded_connections is the open WebSocket count (every upgrade here is a /ws client).
        "Microsoft.AspNetCore.Server.Kestrel",
        // http.server.request.duration by route and status: the HTTP API's answers.
        "Microsoft.AspNetCore.Hosting",
        // dotnet.gc.*, dotnet.process.memory.working_set, dotnet.thread_pool.*: GC cost and memory per user.
        "System.Runtime",
    ];

    public static IServiceCollection AddMessengerMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("messenger"))
            .WithMetrics(metrics => metrics
            .AddMeter(MessengerMetrics.MeterName)
            .AddMeter(FrameworkMeters)
            .AddPrometheusExporter(prometheus =>
            {
                // A scrape is cheap to answer; caching would only hide the last second from the bench.
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
        return services;
    }

    public static IEndpointRouteBuilder MapMessengerMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(Path);
        return app;
    }
}
