using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SessionInsights.Gateway.Ingestion;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Gateway.Telemetry;

public static class TelemetrySetup
{
    /// <summary>The trace source of the write path: ingest, hand-off to the grain, commit.</summary>
    public const string ActivitySourceName = "SessionInsights";

    /// <summary>
    /// Metrics (this service's meters and Orleans' own) for Prometheus at /metrics; traces of
    /// ingest → grain → commit exported over OTLP only when <c>Otlp:Endpoint</c> is set.
    /// </summary>
    public static IServiceCollection AddSessionInsightsTelemetry(this IServiceCollection services, IConfiguration config)
    {
        var otlp = config["Otlp:Endpoint"];
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("session-insights-gateway"))
            .WithMetrics(m => m
                .AddMeter(IngestMetrics.MeterName, GrainMetrics.MeterName, "Microsoft.Orleans")
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(otlp))
        {
            telemetry.WithTracing(t => t
                .AddSource(ActivitySourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        }
        return services;
    }
}
