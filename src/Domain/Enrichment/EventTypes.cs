namespace SessionInsights.Domain.Enrichment;

/// <summary>The <c>event_type</c> wire strings (SPEC §2, plus the documented PostHog extras).</summary>
public static class EventTypes
{
    public const string PageView = "pageview";
    public const string Navigation = "navigation";
    public const string Click = "click";
    public const string Custom = "custom";
    public const string Unknown = "unknown";

    /// <summary><c>$identify</c>: the anonymous visitor became a known user.</summary>
    public const string Identify = "identify";

    /// <summary><c>$exception</c>: a front-end error PostHog captured.</summary>
    public const string Error = "error";
}
