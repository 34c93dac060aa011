namespace SessionInsights.Storage;

/// <summary>
/// Both backends keep timestamps to the microsecond, PostgreSQL's precision, while PostHog sends up
/// to 7 fractional digits (100 ns ticks). Values are truncated, never rounded, so that a stored
/// timestamp is never later than the one received; offsets are not kept (everything reads back as UTC).
/// </summary>
public static class StoragePrecision
{
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }

    internal static DateTime ToUtcDateTime(DateTimeOffset value) => Truncate(value).UtcDateTime;

    internal static long ToUnixMicroseconds(DateTimeOffset value) =>
        (Truncate(value).UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    internal static DateTimeOffset FromUnixMicroseconds(long microseconds) =>
        new(DateTime.UnixEpoch.Ticks + (microseconds * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}
