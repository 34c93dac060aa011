namespace SessionInsights.Cli.Load;

/// <summary>What one phase of a run (the warm-up, or the measured part) counted and timed.</summary>
internal sealed class PhaseStats(ContextClient contexts, TimeSpan freshnessTimeout)
{
    private long _issued;
    private long _sent;
    private long _accepted;
    private long _duplicates;

    public LatencyRecorder Ack { get; } = new();

    /// <summary>With a fixed rate: how late each event was sent against its schedule (coordinated omission shows here).</summary>
    public LatencyRecorder SendLag { get; } = new();
    public ErrorCounter IngestErrors { get; } = new();
    public LatencyRecorder Reads { get; } = new();
    public ErrorCounter ReadErrors { get; } = new();
    public FreshnessProbes Probes { get; } = new(contexts, freshnessTimeout);

    public long Sent => Interlocked.Read(ref _sent);
    public long Accepted => Interlocked.Read(ref _accepted);
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Claims the next event slot of the phase (0, 1, 2…): its place in the rate schedule.</summary>
    public long NextIndex() => Interlocked.Increment(ref _issued) - 1;

    public void CountSent(long events = 1) => Interlocked.Add(ref _sent, events);

    /// <summary>A whole /batch request accepted: its events count, none is known to be a duplicate.</summary>
    public void CountAcceptedBatch(long events) => Interlocked.Add(ref _accepted, events);

    public void CountAccepted(bool duplicate)
    {
        Interlocked.Increment(ref _accepted);
        if (duplicate)
        {
            Interlocked.Increment(ref _duplicates);
        }
    }
}
