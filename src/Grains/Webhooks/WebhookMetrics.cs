using System.Diagnostics.Metrics;
using SessionInsights.Grains.Hosting;

namespace SessionInsights.Grains.Webhooks;

/// <summary>
/// Webhook counters, on the grains' meter (exported as <c>si_webhooks_*</c> by /metrics and OTLP):
/// deliveries, failures, retries scheduled, and the time from firing to a receiver's 2xx.
/// </summary>
public sealed class WebhookMetrics : IDisposable
{
    private readonly Meter _meter = new(GrainMetrics.MeterName);

    public WebhookMetrics()
    {
        Delivered = _meter.CreateCounter<long>("si.webhooks.delivered", description: "Webhook deliveries a receiver answered with 2xx");
        Failed = _meter.CreateCounter<long>("si.webhooks.failed", description: "Webhook deliveries given up (a refusal, or attempts used up)");
        Retried = _meter.CreateCounter<long>("si.webhooks.retried", description: "Webhook attempts that failed and were scheduled again");
        LatencyMs = _meter.CreateHistogram<double>("si.webhooks.delivery_ms", "ms", "From the pattern's firing to the receiver's 2xx");
    }

    public Counter<long> Delivered { get; }
    public Counter<long> Failed { get; }
    public Counter<long> Retried { get; }
    public Histogram<double> LatencyMs { get; }

    public void Dispose() => _meter.Dispose();
}
