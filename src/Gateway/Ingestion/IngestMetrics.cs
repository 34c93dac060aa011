using System.Diagnostics.Metrics;

namespace SessionInsights.Gateway.Ingestion;

/// <summary>Gateway-side counters (System.Diagnostics.Metrics).</summary>
public sealed class IngestMetrics : IDisposable
{
    public const string MeterName = "SessionInsights.Gateway";
    private readonly Meter _meter = new(MeterName);

    public IngestMetrics()
    {
        EventsAccepted = _meter.CreateCounter<long>("si.ingest.accepted");
        EventsStored = _meter.CreateCounter<long>("si.ingest.stored");
        Rejected = _meter.CreateCounter<long>("si.ingest.rejected");
        ContextReads = _meter.CreateCounter<long>("si.context.reads");
        ContextReadMs = _meter.CreateHistogram<double>("si.context.read_ms");
        ContextStorageReads = _meter.CreateCounter<long>("si.context.storage_reads");
        Warnings = _meter.CreateCounter<long>("si.ingest.warnings", description: "Ingestion warnings (corrections and anomalies), by type");
        RateLimited = _meter.CreateCounter<long>("si.ratelimit.rejected", description: "Requests refused with 429, by kind (capture, read)");
    }

    public Counter<long> EventsAccepted { get; }
    public Counter<long> EventsStored { get; }
    public Counter<long> Rejected { get; }
    public Counter<long> ContextReads { get; }
    public Histogram<double> ContextReadMs { get; }

    /// <summary>Context reads the grain did not answer in time, rendered from storage instead.</summary>
    public Counter<long> ContextStorageReads { get; }

    /// <summary>Ingestion warnings, tagged with their <c>type</c> (<see cref="IngestionWarnings"/>).</summary>
    public Counter<long> Warnings { get; }

    /// <summary>Requests refused with 429, tagged with their <c>kind</c> (capture, read).</summary>
    public Counter<long> RateLimited { get; }

    public void Dispose() => _meter.Dispose();
}
