namespace SessionInsights.Grains.Options;

/// <summary>Grain runtime tuning (configuration section <c>Grains</c>).</summary>
public sealed class GrainsOptions
{
    public const string Section = "Grains";

    /// <summary>A grain that received no call for this long commits what it holds and leaves memory.</summary>
    public TimeSpan PassivateAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long applied events wait to be committed together; bigger means fewer, larger commits.
    /// Reads never wait for it (they are answered from memory, and events are durable in raw_event
    /// before their 2xx); each commit rewrites the user's snapshot, so under load a longer wait saves
    /// a snapshot serialization and write per event: 1 s instead of 200 ms took PostgreSQL's CPU per
    /// event on <c>/batch</c> from 144 to 85 µs (docs/benchmarks.md, issue 12). A crash loses nothing
    /// either way: what was not committed is PENDING in raw_event and replays.
    /// </summary>
    public TimeSpan FlushDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a user grain's commit carries its snapshot; the commits between write enriched rows,
    /// session rows and failures only (after the same version check), and their raw events stay
    /// PENDING until the next snapshot commit (DONE = folded into a stored snapshot). A snapshot is
    /// ~4 KB rewritten per commit: every 5 s instead of every 1-s commit saves most of that
    /// (docs/benchmarks.md). 0 = a snapshot with every commit. It must be shorter than
    /// <see cref="StalePendingAfter"/> (checked at start; with <see cref="FlushDelay"/> added it
    /// should be too), or the stale-pending sweep would keep replaying healthy grains.
    /// </summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a grain waits before it retries a commit that failed (storage unavailable).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>PENDING raw events older than this are treated as lost deliveries and replayed.</summary>
    public TimeSpan StalePendingAfter { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a gateway waits for a session grain's answer.</summary>
    public TimeSpan AskTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A context read the user grain has not answered in this long is rendered from storage instead
    /// (its silo died and the grain has not moved yet); long enough that a busy grain is not bypassed.
    /// </summary>
    public TimeSpan ContextFallbackAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often each process looks for changed pattern rules (<see cref="Hosting.RuleRefresher"/>): a
    /// change reaches every grain within about this plus one call.
    /// </summary>
    public TimeSpan RulesRefreshInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    internal IEnumerable<string> Validate()
    {
        if (PassivateAfter < TimeSpan.FromSeconds(1))
        {
            yield return "Grains:PassivateAfter must be at least 1 second";
        }
        if (FlushDelay < TimeSpan.Zero || FlushDelay > TimeSpan.FromMinutes(1))
        {
            yield return "Grains:FlushDelay must be from 0 to 1 minute";
        }
        if (SnapshotInterval < TimeSpan.Zero)
        {
            yield return "Grains:SnapshotInterval must not be negative (0 = a snapshot with every commit)";
        }
        else if (SnapshotInterval >= StalePendingAfter)
        {
            // Held events wait up to SnapshotInterval (+ FlushDelay) for their DONE; older PENDING
            // rows are taken for lost deliveries. FlushDelay is left out of the check: tests hold
            // commits for a minute on purpose, which already outlasts the sweep's threshold.
            yield return $"Grains:SnapshotInterval ({SnapshotInterval}) must be shorter than Grains:StalePendingAfter ({StalePendingAfter})";
        }
        foreach (var (name, value) in new[] { ("RetryDelay", RetryDelay), ("StalePendingAfter", StalePendingAfter), ("SweepInterval", SweepInterval), ("AskTimeout", AskTimeout), ("ContextFallbackAfter", ContextFallbackAfter), ("RulesRefreshInterval", RulesRefreshInterval) })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return $"Grains:{name} must be positive";
            }
        }
    }
}
