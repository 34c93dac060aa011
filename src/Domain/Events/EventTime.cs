namespace SessionInsights.Domain.Events;

/// <summary>
/// Event time the way PostHog's ingestion computes it (docs/ingestion.md, "Event time"), and instant
/// arithmetic that cannot leave the range a <see cref="DateTimeOffset"/> holds.
/// </summary>
/// <remarks>
/// Client clocks are wrong often (phones set by hand, laptops waking from sleep, queued offline events),
/// and everything downstream (sessions, idle close, pattern windows, recent-events order) trusts the
/// time this returns. The result is always within [<see cref="Earliest"/>, receive time + <see cref="MaxFuture"/>].
/// </remarks>
public static class EventTime
{
    /// <summary>PostHog's cutoff: a time further ahead of the receive time is the client's mistake.</summary>
    public static readonly TimeSpan MaxFuture = TimeSpan.FromHours(23);

    /// <summary>
    /// The earliest time kept as sent. Earlier ones are a reset clock (the Unix epoch, year 1), not a
    /// backfill: such an event gets its receive time, so it cannot stretch a session over centuries.
    /// </summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The time of an event from a capture endpoint. With a valid <paramref name="sentAt"/> (the client's
    /// clock when it sent the request) the client's skew is removed: receive time + (timestamp − sent_at).
    /// A null <paramref name="timestamp"/> means the client sent none (the caller handles <c>offset</c>).
    /// </summary>
    public static DateTimeOffset FromClient(DateTimeOffset timestamp, DateTimeOffset? sentAt, DateTimeOffset receivedAt)
    {
        if (sentAt is not { } sent)
        {
            return Bound(timestamp, receivedAt);
        }
        // Ticks are below 3.2e18 each, so this long arithmetic cannot overflow; Bound checks the range.
        var corrected = receivedAt.UtcTicks + (timestamp.UtcTicks - sent.UtcTicks);
        return Bound(corrected, receivedAt);
    }

    /// <summary>
    /// The sanity bounds alone, for times that are already corrected (the webhook's, which PostHog
    /// computed) or that the server chose (receive time − offset): outside them, the receive time.
    /// </summary>
    public static DateTimeOffset Bound(DateTimeOffset time, DateTimeOffset receivedAt) => Bound(time.UtcTicks, receivedAt);

    /// <summary>Whether <see cref="Bound(DateTimeOffset, DateTimeOffset)"/> would replace <paramref name="time"/>.</summary>
    public static bool IsOutOfBounds(DateTimeOffset time, DateTimeOffset receivedAt) => IsOutOfBounds(time.UtcTicks, receivedAt);

    /// <summary><paramref name="time"/> + <paramref name="span"/>, held at the ends of the range instead of throwing.</summary>
    public static DateTimeOffset Add(DateTimeOffset time, TimeSpan span)
    {
        // UTC ticks run from 0 to MaxValue's, so neither comparison can overflow.
        var ticks = time.UtcTicks;
        var max = DateTimeOffset.MaxValue.UtcTicks;
        var result = span.Ticks >= 0
            ? (ticks > max - span.Ticks ? max : ticks + span.Ticks)
            : (span.Ticks < -ticks ? 0 : ticks + span.Ticks);
        return new DateTimeOffset(result, TimeSpan.Zero);
    }

    /// <summary><paramref name="time"/> − <paramref name="span"/>, held at the ends of the range instead of throwing.</summary>
    public static DateTimeOffset Subtract(DateTimeOffset time, TimeSpan span) =>
        span == TimeSpan.MinValue ? new DateTimeOffset(DateTimeOffset.MaxValue.UtcTicks, TimeSpan.Zero) : Add(time, -span);

    private static DateTimeOffset Bound(long utcTicks, DateTimeOffset receivedAt)
    {
        var at = IsOutOfBounds(utcTicks, receivedAt) ? receivedAt.UtcTicks : utcTicks;
        // Microseconds, as the parser and PostgreSQL keep: an event read back equals the one applied live.
        return new DateTimeOffset(at - at % TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);
    }

    private static bool IsOutOfBounds(long utcTicks, DateTimeOffset receivedAt) =>
        utcTicks < Earliest.UtcTicks || utcTicks > receivedAt.UtcTicks + MaxFuture.Ticks;
}
