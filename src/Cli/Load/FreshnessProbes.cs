using System.Diagnostics;

namespace SessionInsights.Cli.Load;

/// <summary>
/// Freshness: the time from an event's 202 to the first context read that shows it. A probe polls
/// the user's context every <see cref="PollInterval"/> until the event's raw_event_id appears, so the
/// figure is an upper bound that is at most one poll (plus one read) late.
/// </summary>
internal sealed class FreshnessProbes(ContextClient client, TimeSpan timeout)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    private readonly List<Task> _running = [];
    private readonly Lock _lock = new();
    private long _timedOut;
    private long _firstRead;

    public LatencyRecorder Freshness { get; } = new();

    /// <summary>The probes' own context reads; a second view of read latency under write load.</summary>
    public LatencyRecorder Reads { get; } = new();

    public ErrorCounter Errors { get; } = new();

    public long TimedOut => Interlocked.Read(ref _timedOut);

    /// <summary>Probes whose very first read already showed the event: freshness was below one read's latency.</summary>
    public long FoundOnFirstRead => Interlocked.Read(ref _firstRead);

    public void Start(string userId, Guid uuid, long ackedAt, CancellationToken ct)
    {
        var probe = Task.Run(() => ProbeAsync(userId, uuid, ackedAt, ct), CancellationToken.None);
        lock (_lock)
        {
            _running.Add(probe);
        }
    }

    /// <summary>Waits for the probes still polling (each gives up after the timeout).</summary>
    public Task DrainAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll(_running);
        }
    }

    private async Task ProbeAsync(string userId, Guid uuid, long ackedAt, CancellationToken ct)
    {
        for (var attempt = 1; !ct.IsCancellationRequested; attempt++)
        {
            var body = await client.ReadAsync(userId, Reads, Errors, ct);
            var now = Stopwatch.GetTimestamp();
            if (body is not null && ContextClient.Contains(body, uuid))
            {
                Freshness.Record(ackedAt, now);
                if (attempt == 1)
                {
                    Interlocked.Increment(ref _firstRead);
                }
                return;
            }
            if (Stopwatch.GetElapsedTime(ackedAt, now) > timeout)
            {
                Interlocked.Increment(ref _timedOut);
                return;
            }
            try
            {
                await Task.Delay(PollInterval, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
