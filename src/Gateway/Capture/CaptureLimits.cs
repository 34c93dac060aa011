namespace SessionInsights.Gateway.Capture;

/// <summary>PostHog's capture limits, applied to the decoded payload (after decompression too).</summary>
public static class CaptureLimits
{
    public const int MaxEventRequestBytes = 2 * 1024 * 1024;
    public const int MaxBatchRequestBytes = 20 * 1024 * 1024;
    public const int MaxDistinctIdLength = 200;
    public const int MaxJsonDepth = 64;
}
