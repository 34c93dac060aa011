namespace SessionInsights.Domain.Patterns;

/// <summary>Bounds on a session's aggregates (SPEC §6); all bounds are inclusive and optional.</summary>
public sealed record SessionFilter
{
    public TimeSpan? MinDuration { get; init; }
    public TimeSpan? MaxDuration { get; init; }
    public int? MinEvents { get; init; }
    public int? MaxEvents { get; init; }
    public int? MinPageViews { get; init; }
    public int? MaxPageViews { get; init; }

    public bool Holds(TimeSpan duration, int events, int pageViews) =>
        (MinDuration is not { } minD || duration >= minD)
        && (MaxDuration is not { } maxD || duration <= maxD)
        && (MinEvents is not { } minE || events >= minE)
        && (MaxEvents is not { } maxE || events <= maxE)
        && (MinPageViews is not { } minP || pageViews >= minP)
        && (MaxPageViews is not { } maxP || pageViews <= maxP);
}
