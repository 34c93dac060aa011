using SessionInsights.Domain.Sessions;
using SessionInsights.Domain.Tests.Support;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Sessions;

public class SessionAggregateTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);

    private static SessionAggregate Apply(params Domain.Enrichment.EnrichedEvent[] events)
    {
        var s = new SessionAggregate("s1", "u1");
        foreach (var e in events)
        {
            s.Apply(e, e.Timestamp);
        }
        return s;
    }

    [Fact]
    public void Counts_each_kind_of_event()
    {
        var s = Apply(
            PageView("/", At(0)),
            Click("Clicked 'Buy' button", At(1)),
            RageClick("Rage-clicked 'Buy' button", At(2)),
            Custom("Item added to cart", At(3)),
            Leave(At(4)),
            PageView("/cart", At(5)));

        Assert.Equal(6, s.EventCount);
        Assert.Equal(2, s.PageViewsCount);
        Assert.Equal(2, s.ClicksCount); // the rage click is a click-type event too
        Assert.Equal(1, s.RageClicksCount);
        Assert.Equal(1, s.CustomEventsCount);
        Assert.True(s.IsActive);
        Assert.Null(s.EndedAt);
    }

    [Fact]
    public void Page_views_are_counted_by_event_name_not_label()
    {
        var s = Apply(Make("Viewed something", At(0), "custom", "navigate", name: "viewed_something"));
        Assert.Equal(0, s.PageViewsCount);
        Assert.Equal(1, s.CustomEventsCount);
    }

    [Fact]
    public void Sequence_numbers_follow_arrival_not_timestamps()
    {
        var s = new SessionAggregate("s1", "u1");
        var late = s.Apply(Click("a", At(10)), At(10));
        var early = s.Apply(Click("b", At(1)), At(11));
        var middle = s.Apply(Click("c", At(5)), At(12));

        Assert.Equal([1, 2, 3], new[] { late.SequenceNumber, early.SequenceNumber, middle.SequenceNumber });
        Assert.Equal("b", early.SemanticLabel); // the rest of the event is unchanged
    }

    [Fact]
    public void Times_and_pages_come_from_timestamps_whatever_the_arrival_order()
    {
        var s = Apply(
            PageView("/middle", At(60)),
            PageView("/last", At(300)),
            PageView("/first", At(-30)),
            Click("x", At(120), "/between"));

        Assert.Equal(At(-30), s.StartedAt);
        Assert.Equal(At(300), s.LastActivityAt);
        Assert.Equal(TimeSpan.FromSeconds(330), s.Duration);
        Assert.Equal("/first", s.FirstPage);
        Assert.Equal("/last", s.LastPage);
    }

    [Fact]
    public void Timestamp_ties_are_broken_by_sequence_number()
    {
        var s = Apply(PageView("/a", At(0)), PageView("/b", At(0)), PageView("/c", At(0)));

        Assert.Equal("/a", s.FirstPage); // lowest sequence number among the earliest
        Assert.Equal("/c", s.LastPage); // highest sequence number among the latest
    }

    [Fact]
    public void Timestamps_with_offsets_are_compared_and_kept_in_utc()
    {
        var s = Apply(
            PageView("/utc", new DateTimeOffset(2025, 12, 9, 10, 0, 0, TimeSpan.Zero)),
            PageView("/paris", new DateTimeOffset(2025, 12, 9, 10, 30, 0, TimeSpan.FromHours(1)))); // 09:30 UTC

        Assert.Equal("/paris", s.FirstPage);
        Assert.Equal(TimeSpan.Zero, s.StartedAt.Offset);
        Assert.Equal(new DateTimeOffset(2025, 12, 9, 9, 30, 0, TimeSpan.Zero), s.StartedAt);
    }

    [Fact]
    public void Closes_exactly_at_the_idle_timeout_with_ended_at_the_last_activity()
    {
        var s = Apply(Click("a", At(0)), Click("b", At(100)));

        Assert.False(s.CloseIfIdle(At(100) + Idle - TimeSpan.FromMilliseconds(1), Idle));
        Assert.True(s.IsActive);

        Assert.True(s.CloseIfIdle(At(100) + Idle, Idle));
        Assert.False(s.IsActive);
        Assert.Equal(At(100), s.EndedAt);
        Assert.False(s.CloseIfIdle(At(100) + Idle + Idle, Idle)); // already closed: no change to report
    }

    [Fact]
    public void Idle_timeout_is_configurable()
    {
        var s = Apply(Click("a", At(0)));
        Assert.True(s.CloseIfIdle(At(60), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_late_event_reopens_a_closed_session()
    {
        var s = Apply(Click("a", At(0)));
        s.CloseIfIdle(At(0) + Idle, Idle);

        var e = s.Apply(Click("late", At(-5)), At(0) + Idle + TimeSpan.FromMinutes(1));

        Assert.True(s.IsActive);
        Assert.Null(s.EndedAt);
        Assert.Equal(2, e.SequenceNumber);
        Assert.Equal(At(-5), s.StartedAt);
    }

    [Fact]
    public void A_backfill_is_not_closed_while_its_events_keep_arriving()
    {
        var s = new SessionAggregate("s1", "u1");
        var wallClock = At(0) + TimeSpan.FromDays(3); // replaying events three days old
        s.Apply(Click("a", At(0)), wallClock);

        Assert.False(s.CloseIfIdle(wallClock + TimeSpan.FromMinutes(29), Idle));
        Assert.Equal(wallClock + Idle, s.IdleDeadline(Idle));
        Assert.True(s.CloseIfIdle(wallClock + Idle, Idle));
        Assert.Equal(At(0), s.EndedAt);
    }
}
