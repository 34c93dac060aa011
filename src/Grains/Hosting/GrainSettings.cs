namespace SessionInsights.Grains.Hosting;

/// <summary>Grain runtime tuning (configuration section <c>Grains</c>).</summary>
public sealed record GrainSettings
{
    /// <summary>A grain with no messages for this long writes its state and leaves memory.</summary>
    public TimeSpan PassivateAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long applied events wait to be committed together; bigger means fewer, larger commits.
    /// Reads never wait for it (they are answered from memory, and events are durable in raw_event
    /// before their 202); each commit rewrites the user's snapshot, so under load a longer wait saves
    /// a snapshot write per event (docs/benchmarks.md).
    /// </summary>
    public TimeSpan FlushDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>PENDING raw events older than this are treated as lost deliveries and replayed.</summary>
    public TimeSpan StalePendingAfter { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A context read the user grain has not answered in this long is rendered from storage instead
    /// (its silo died and the shard has not moved yet); long enough that a busy grain is not bypassed.
    /// </summary>
    public TimeSpan ContextFallbackAfter { get; init; } = TimeSpan.FromSeconds(2);

    public int MaxShards { get; init; } = 100;
}
