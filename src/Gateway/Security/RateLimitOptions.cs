namespace SessionInsights.Gateway.Security;

/// <summary>
/// Configuration section <c>RateLimits</c>: token buckets per capture token (events) and per project
/// read by a secret key (requests), so that a noisy sender cannot take all the capacity. A rate of 0
/// turns that limit off. The burst is how many a bucket holds: a quiet client may send that many at
/// once, then the rate. Over the limit: 429 with <c>Retry-After</c>, nothing stored.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public int CaptureEventsPerSecond { get; set; } = 20_000;

    public int CaptureBurst { get; set; } = 40_000;

    public int ReadsPerSecond { get; set; } = 1_000;

    public int ReadBurst { get; set; } = 2_000;

    internal bool IsValid => CaptureEventsPerSecond >= 0 && ReadsPerSecond >= 0
        && (CaptureEventsPerSecond == 0 || CaptureBurst >= 1) && (ReadsPerSecond == 0 || ReadBurst >= 1);

    internal const string ValidationMessage = "RateLimits: rates must be 0 (off) or more, and a limit that is on needs a burst of at least 1";
}
