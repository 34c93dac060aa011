using System.Diagnostics.Metrics;
using SessionInsights.Domain.Users;
using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Grains.Hosting;

/// <summary>Grain-side counters (System.Diagnostics.Metrics), read by /metrics and, through the node reporter, the insights page.</summary>
public sealed class GrainMetrics : IDisposable
{
    public const string MeterName = "SessionInsights.Grains";
    private readonly Meter _meter = new(MeterName);
    private long _activeUsers;
    private long _activeSessions;
    private long _activations;
    private long _unsavedEvents;

    public GrainMetrics()
    {
        EventsApplied = _meter.CreateCounter<long>("si.events.applied");
        EventsFailed = _meter.CreateCounter<long>("si.events.failed");
        DuplicatesSkipped = _meter.CreateCounter<long>("si.events.duplicates_skipped");
        EventsRetried = _meter.CreateCounter<long>("si.events.retried", description: "Automatic retries of events whose processing had failed, whatever their outcome");
        EventsDeadLettered = _meter.CreateCounter<long>("si.events.dead_lettered", description: "Events that became dead letters (a permanent failure, or retries used up)");
        Activations = _meter.CreateCounter<long>("si.grains.activations");
        Commits = _meter.CreateCounter<long>("si.grains.commits");
        CommitFailures = _meter.CreateCounter<long>("si.grains.commit_failures");
        _meter.CreateObservableGauge("si.grains.active_users", () => Interlocked.Read(ref _activeUsers));
        _meter.CreateObservableGauge("si.grains.active_sessions", () => Interlocked.Read(ref _activeSessions));
        _meter.CreateObservableGauge("si.grains.unsaved_events", () => Interlocked.Read(ref _unsavedEvents));
        GrainCallMs = _meter.CreateHistogram<double>("si.grains.call_ms", "ms", "Grain method time on the silo, by grain and method");
    }

    public Counter<long> EventsApplied { get; }
    public Counter<long> EventsFailed { get; }
    public Counter<long> DuplicatesSkipped { get; }
    public Counter<long> EventsRetried { get; }
    public Counter<long> EventsDeadLettered { get; }
    public Counter<long> Activations { get; }
    public Counter<long> Commits { get; }
    public Counter<long> CommitFailures { get; }

    /// <summary>Recorded by <see cref="GrainCallTimingFilter"/> for every call a grain of this silo answers.</summary>
    public Histogram<double> GrainCallMs { get; }
    public long ActiveUsers => Interlocked.Read(ref _activeUsers);
    public long ActiveSessions => Interlocked.Read(ref _activeSessions);

    public long TotalActivations => Interlocked.Read(ref _activations);

    /// <summary>Events applied by user grains but not yet committed (the persistence backlog).</summary>
    public long UnsavedEvents => Interlocked.Read(ref _unsavedEvents);

    /// <summary>Which pattern rules newly matched, for whom, when.</summary>
    public PatternFirings Patterns { get; } = new();

    /// <summary>Records each rule the event made match for the first time in its session.</summary>
    public void RecordFirings(AppliedEvent applied, long projectId, string userId, DateTimeOffset now)
    {
        foreach (var rule in applied.NewlyMatchedRules())
        {
            Patterns.Fired(projectId, rule, userId, now);
        }
    }

    public void UnsavedChanged(long delta)
    {
        if (delta != 0)
        {
            Interlocked.Add(ref _unsavedEvents, delta);
        }
    }

    public void UserActivated()
    {
        Interlocked.Increment(ref _activeUsers);
        Interlocked.Increment(ref _activations);
    }
    public void UserDeactivated() => Interlocked.Decrement(ref _activeUsers);
    public void SessionActivated() => Interlocked.Increment(ref _activeSessions);
    public void SessionDeactivated() => Interlocked.Decrement(ref _activeSessions);

    public void Dispose() => _meter.Dispose();
}
