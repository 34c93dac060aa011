using SessionInsights.Domain;
using SessionInsights.Domain.Persistence;
using SessionInsights.Domain.Storage;
using SessionInsights.Grains.Options;

namespace SessionInsights.Grains.Hosting;

/// <summary>What the grains of one silo share: configuration, storage, the clock and metrics.</summary>
public sealed class GrainServices(
    InsightsOptions options,
    GrainsOptions settings,
    IRawEventLog rawLog,
    GrainStateWriter writer,
    TimeProvider time,
    GrainMetrics metrics)
{
    public InsightsOptions Options { get; } = options;
    public GrainsOptions Settings { get; } = settings;
    public IRawEventLog RawLog { get; } = rawLog;
    public GrainStateWriter Writer { get; } = writer;
    public IGrainStateStore Store => Writer.Store;
    public TimeProvider Time { get; } = time;
    public GrainMetrics Metrics { get; } = metrics;
}
