using System.Diagnostics;

namespace SessionInsights.Grains.Hosting;

/// <summary>
/// The service's own trace spans: a gateway's append and hand-off, a grain's commit. Orleans carries
/// the trace context across grain calls (activity propagation), so one trace shows ingest → grain →
/// commit. Nothing is recorded unless a listener (the OTLP exporter, when configured) asks for it.
/// </summary>
public static class Tracing
{
    public const string SourceName = "SessionInsights";

    public static readonly ActivitySource Source = new(SourceName);
}
