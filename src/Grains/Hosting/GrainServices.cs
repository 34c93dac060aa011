using Akka.Actor;
using SessionInsights.Grains.Persistence;
using SessionInsights.Grains.Storage;

namespace SessionInsights.Grains.Hosting;

/// <summary>What the grains of one silo share: configuration, storage and the regions they talk to.</summary>
public sealed class GrainServices(
    InsightsOptions options,
    GrainSettings settings,
    IRawEventLog rawLog,
    GrainStateWriter writer,
    TimeProvider time,
    GrainMetrics metrics)
{
    public InsightsOptions Options { get; } = options;
    public GrainSettings Settings { get; } = settings;
    public IRawEventLog RawLog { get; } = rawLog;
    public GrainStateWriter Writer { get; } = writer;
    public IGrainStateStore Store => Writer.Store;
    public TimeProvider Time { get; } = time;
    public GrainMetrics Metrics { get; } = metrics;

    /// <summary>Set once the session region has started; user grains send session updates to it.</summary>
    public IActorRef SessionRegion { get; set; } = ActorRefs.Nobody;
}
