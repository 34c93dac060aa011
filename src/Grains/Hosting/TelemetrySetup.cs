using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SessionInsights.Grains.Hosting;

public static class TelemetrySetup
{
    /// <summary>
    /// OpenTelemetry for every process: this service's meters and Orleans' own; traces of ingest →
    /// grain → commit. With <c>Otlp:Endpoint</c> set, metrics and traces are exported over OTLP;
    /// <paramref name="configureMetrics"/> adds a local exporter (the gateway's Prometheus endpoint).
    /// </summary>
    public static OpenTelemetryBuilder AddSessionInsightsTelemetry(this IServiceCollection services, IConfiguration config, string serviceName, Action<MeterProviderBuilder>? configureMetrics = null)
    {
        var otlp = config["Otlp:Endpoint"];
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithMetrics(m =>
            {
                m.AddMeter(GrainMetrics.MeterName, "SessionInsights.Gateway", "Microsoft.Orleans");
                configureMetrics?.Invoke(m);
                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    m.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            });
        if (!string.IsNullOrWhiteSpace(otlp))
        {
            telemetry.WithTracing(t => t
                .AddSource(Tracing.SourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        }
        return telemetry;
    }
}
