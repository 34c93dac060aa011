using System.Globalization;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Tests.Events;

/// <summary>PostHog's event-time rules (issue 18, docs/ingestion.md "Event time").</summary>
public class EventTimeTests
{
    private static readonly DateTimeOffset Received = T("2026-12-01T12:00:00Z");

    private static DateTimeOffset T(string text)
    {
        Assert.True(TimestampParser.TryParse(text, out var value), text);
        return value;
    }

    [Fact]
    public void A_clock_three_hours_fast_is_corrected_by_sent_at()
    {
        // The client's clock says 15:00 when it sends; the event happened 10 s before it sent.
        var at = EventTime.FromClient(T("2026-12-01T14:59:50Z"), T("2026-12-01T15:00:00Z"), Received);
        Assert.Equal(T("2026-12-01T11:59:50Z"), at);
    }

    [Fact]
    public void A_clock_two_days_slow_is_corrected_by_sent_at()
    {
        var at = EventTime.FromClient(T("2026-11-29T11:00:00Z"), T("2026-11-29T12:00:00Z"), Received);
        Assert.Equal(T("2026-12-01T11:00:00Z"), at);
    }

    [Fact]
    public void Without_sent_at_the_timestamp_is_kept()
    {
        Assert.Equal(T("2026-12-01T09:30:00Z"), EventTime.FromClient(T("2026-12-01T09:30:00Z"), null, Received));
    }

    [Fact]
    public void More_than_23_hours_ahead_becomes_the_receive_time()
    {
        Assert.Equal(T("2026-12-02T11:00:00Z"), EventTime.FromClient(T("2026-12-02T11:00:00Z"), null, Received));
        Assert.Equal(Received, EventTime.FromClient(T("2026-12-02T11:00:00.000001Z"), null, Received));
        // A correction that lands in the future is cut the same way.
        Assert.Equal(Received, EventTime.FromClient(T("2026-12-05T00:00:00Z"), T("2026-12-01T00:00:00Z"), Received));
    }

    [Fact]
    public void Before_the_year_2000_becomes_the_receive_time()
    {
        Assert.Equal(Received, EventTime.Bound(T("1970-01-01T00:00:00Z"), Received));
        Assert.Equal(Received, EventTime.Bound(T("1999-12-31T23:59:59.999999Z"), Received));
        Assert.Equal(T("2000-01-01T00:00:00Z"), EventTime.Bound(T("2000-01-01T00:00:00Z"), Received));
        Assert.True(EventTime.IsOutOfBounds(T("1999-12-31T23:59:59Z"), Received));
        Assert.False(EventTime.IsOutOfBounds(Received, Received));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z", null)]
    [InlineData("0001-01-01T00:00:00-14:00", null)]
    [InlineData("9999-12-31T23:59:59Z", null)]
    [InlineData("9999-12-31T23:59:59+14:00", null)]
    [InlineData("9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z")]
    [InlineData("2026-12-01T12:00:00+14:00", "0001-01-01T00:00:00Z")]
    [InlineData("2026-12-01T12:00:00-14:00", "9999-12-31T23:59:59.999999Z")]
    public void Extreme_values_become_the_receive_time_without_throwing(string timestamp, string? sentAt)
    {
        var at = EventTime.FromClient(T(timestamp), sentAt is null ? null : T(sentAt), Received);
        Assert.Equal(Received, at);
    }

    [Fact]
    public void The_largest_instants_never_throw()
    {
        var max = DateTimeOffset.MaxValue.AddSeconds(-1);
        Assert.Equal(Received, EventTime.FromClient(max, null, Received));
        Assert.Equal(Received, EventTime.FromClient(max, DateTimeOffset.MinValue, Received));
        Assert.Equal(Received, EventTime.FromClient(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Received));
        Assert.Equal(Received, EventTime.FromClient(DateTimeOffset.MaxValue, DateTimeOffset.MaxValue, Received));
        // A receive time at the end of the range (a broken clock) is still answered.
        Assert.Equal(max.UtcTicks / 10 * 10, EventTime.FromClient(max, null, DateTimeOffset.MaxValue).UtcTicks);
        Assert.Equal(DateTimeOffset.MaxValue.UtcTicks / 10 * 10, EventTime.FromClient(DateTimeOffset.MinValue, null, DateTimeOffset.MaxValue).UtcTicks);
    }

    [Fact]
    public void Offsets_of_plus_and_minus_14_hours_are_the_same_instant_in_utc()
    {
        var east = EventTime.FromClient(T("2026-12-02T01:00:00+14:00"), T("2026-12-02T01:00:10+14:00"), Received);
        var west = EventTime.FromClient(T("2026-11-30T21:00:00-14:00"), T("2026-11-30T21:00:10-14:00"), Received);
        Assert.Equal(T("2026-12-01T11:59:50Z"), east);
        Assert.Equal(east, west);
        Assert.Equal(TimeSpan.Zero, east.Offset);
    }

    [Fact]
    public void The_result_is_cut_to_microseconds_like_storage()
    {
        var received = Received.AddTicks(7);
        Assert.Equal(Received, EventTime.FromClient(T("2026-12-01T12:00:00Z"), T("2026-12-01T12:00:00Z"), received));
    }

    [Fact]
    public void Add_and_subtract_stop_at_the_ends_of_the_range()
    {
        Assert.Equal(DateTimeOffset.MaxValue.UtcTicks, EventTime.Add(DateTimeOffset.MaxValue.AddSeconds(-1), TimeSpan.FromHours(1)).UtcTicks);
        Assert.Equal(DateTimeOffset.MinValue.UtcTicks, EventTime.Subtract(Received, TimeSpan.MaxValue).UtcTicks);
        Assert.Equal(DateTimeOffset.MaxValue.UtcTicks, EventTime.Subtract(Received, TimeSpan.MinValue).UtcTicks);
        Assert.Equal(DateTimeOffset.MinValue.UtcTicks, EventTime.Add(Received, TimeSpan.MinValue).UtcTicks);
        Assert.Equal(T("2026-12-01T11:00:00Z"), EventTime.Subtract(Received, TimeSpan.FromHours(1)));
        Assert.Equal(DateTime.Parse("2026-12-01T12:30:00Z", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), EventTime.Add(Received, TimeSpan.FromMinutes(30)).UtcDateTime);
    }
}
