using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SessionInsights.Grains.Hosting;

public static class TelemetrySetup
{
    private static readonly string[] MillisecondHistograms = ["si.context.read_ms", "si.grains.call_ms"];

    private static readonly double[] MillisecondBuckets = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

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
                // The SDK's default buckets start at 5 ms, which hides the range the read target lives in.
                foreach (var histogram in MillisecondHistograms)
                {
                    m.AddView(histogram, new ExplicitBucketHistogramConfiguration { Boundaries = MillisecondBuckets });
                }
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
