using SessionInsights.Domain.Tests.Support;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Users;

public class UserActivityTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);

    [Fact]
    public void Events_with_a_session_id_build_that_session()
    {
        var user = Support.Users.New();
        user.Apply(Ph.PageView(At(0), "/shop"), At(0));
        var applied = user.Apply(Ph.Click(At(20)), At(20));

        Assert.Equal("s1", applied.Event.SessionId);
        Assert.Equal(2, applied.Event.SequenceNumber);
        var row = applied.Session!;
        Assert.Equal(("s1", "u1", At(0), At(20), (DateTimeOffset?)null), (row.SessionId, row.UserId, row.StartedAt, row.LastActivityAt, row.EndedAt));
        Assert.Equal((2, 1, 1, "/shop", "/", true), (row.EventCount, row.PageViewsCount, row.ClicksCount, row.FirstPage, row.LastPage, row.IsActive));
        Assert.Equal("Viewed 1 page including shop page. Clicked 1 time.", row.Summary);
        Assert.Equal("[]", row.PatternsJson);
    }

    [Fact]
    public void The_row_lists_matched_patterns_in_rule_order()
    {
        var rules = Rules.Many(
            Rules.Rule("b_rule", "\"filter\":{\"semantic_contains\":\"buy\"}", "HIGH"),
            Rules.Rule("a_rule", "\"filter\":{\"event_type\":\"pageview\"}"));
        var user = Support.Users.New(options: Support.Users.Options(rules));
        user.Apply(Ph.Click(At(0), "Clicked 'Buy' button"), At(0));
        var row = user.Apply(Ph.PageView(At(1)), At(1)).Session!;

        Assert.Equal(
            """[{"code":"b_rule","description":"about b_rule","severity":"HIGH","status":"confirmed"},{"code":"a_rule","description":"about a_rule","severity":"LOW","status":"confirmed"}]""",
            row.PatternsJson);
    }

    [Fact]
    public void An_event_without_session_id_joins_the_active_session()
    {
        var user = Support.Users.New();
        user.Apply(Ph.Click(At(0)), At(0));

        var applied = user.Apply(Ph.Click(At(0) + Idle, session: null), At(0) + Idle);

        Assert.Equal("s1", applied.Event.SessionId);
        Assert.Equal(2, applied.Event.SequenceNumber);
        Assert.Equal(2, applied.Session!.EventCount);
    }

    [Fact]
    public void An_event_without_session_id_and_no_active_session_belongs_to_none()
    {
        var user = Support.Users.New();
        var alone = user.Apply(Ph.Click(At(0), session: null), At(0));
        Assert.Null(alone.Session);
        Assert.Null(alone.Event.SessionId);
        Assert.Equal(0, alone.Event.SequenceNumber);

        user.Apply(Ph.Click(At(100)), At(100));
        var tooLate = user.Apply(Ph.Click(At(100) + Idle + TimeSpan.FromMilliseconds(1), session: null), At(100) + Idle + TimeSpan.FromMilliseconds(1));
        Assert.Null(tooLate.Session);

        // Both stay in the recent events.
        var recent = Support.Users.Context(user).GetProperty("recent_events");
        Assert.Equal(3, recent.GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, recent[0].GetProperty("session_id").ValueKind);
    }

    [Fact]
    public void A_late_event_without_session_id_joins_a_session_that_is_live_now()
    {
        var user = Support.Users.New();
        user.Apply(Ph.Click(At(3600)), At(3600));

        // Two hours older than the session, but the session's activity is within the timeout of now.
        var applied = user.Apply(Ph.Click(At(-3600), session: null), At(3600) + TimeSpan.FromMinutes(5));
        Assert.Equal("s1", applied.Event.SessionId);
        Assert.Equal(At(-3600), applied.Session!.StartedAt);
    }

    [Fact]
    public void An_event_without_session_id_joins_the_open_session_with_the_latest_activity()
    {
        var user = Support.Users.New();
        user.Apply(Ph.Click(At(0), session: "a"), At(0));
        user.Apply(Ph.Click(At(50), session: "b"), At(50));
        user.Apply(Ph.Click(At(10), session: "a"), At(60));

        Assert.Equal("b", user.Apply(Ph.Click(At(70), session: null), At(70)).Event.SessionId);
    }

    [Fact]
    public void Closed_sessions_are_not_joined_by_events_without_session_id()
    {
        var user = Support.Users.New();
        user.Apply(Ph.Click(At(0)), At(0));
        user.CloseIdleSessions(At(0) + Idle);

        var applied = user.Apply(Ph.Click(At(1), session: null), At(0) + Idle);
        Assert.Null(applied.Session);
    }

    [Fact]
    public void Idle_sessions_close_and_report_their_rows()
    {
        var user = Support.Users.New();
        user.Apply(Ph.Click(At(0), session: "a"), At(0));
        user.Apply(Ph.Click(At(600), session: "b"), At(600));

        Assert.Equal(At(0) + Idle, user.NextIdleCheck(At(1)));
        Assert.Empty(user.CloseIdleSessions(At(0) + Idle - TimeSpan.FromMilliseconds(1)));

        var closed = Assert.Single(user.CloseIdleSessions(At(0) + Idle));
        Assert.Equal(("a", false, (DateTimeOffset?)At(0)), (closed.SessionId, closed.IsActive, closed.EndedAt));
        Assert.Equal(At(600) + Idle, user.NextIdleCheck(At(0) + Idle));
        Assert.Equal(At(700) + Idle, user.NextIdleCheck(At(700) + Idle)); // overdue: due now

        Assert.Single(user.CloseIdleSessions(At(600) + Idle));
        Assert.Null(user.NextIdleCheck(At(600) + Idle));
    }

    [Fact]
    public void A_late_event_reopens_its_closed_session_with_its_counts()
    {
        var user = Support.Users.New();
        user.Apply(Ph.Click(At(0)), At(0));
        user.Apply(Ph.Click(At(10)), At(10));
        user.CloseIdleSessions(At(10) + Idle);

        var row = user.Apply(Ph.Click(At(5)), At(10) + Idle + TimeSpan.FromMinutes(1)).Session!;

        Assert.True(row.IsActive);
        Assert.Null(row.EndedAt);
        Assert.Equal(3, row.EventCount);
        Assert.NotNull(user.NextIdleCheck(At(10) + Idle));
    }

    [Fact]
    public void Old_closed_sessions_are_dropped_and_their_late_events_leave_the_row_alone()
    {
        var user = Support.Users.New();
        for (var i = 0; i < 7; i++)
        {
            user.Apply(Ph.Click(At(i * 10), session: $"s{i}"), At(i * 10));
        }
        Assert.Equal(7, user.CloseIdleSessions(At(60) + Idle).Count);

        // s6 is the latest, s2..s5 the four most recent other closed ones: they are still known.
        var reopened = user.Apply(Ph.Click(At(21), session: "s2"), At(61) + Idle);
        Assert.Equal((2, true), (reopened.Session!.EventCount, reopened.Session.IsActive));

        // s0 and s1 were dropped: a late event keeps its session id but does not rebuild the session.
        var orphan = user.Apply(Ph.Click(At(1), session: "s0"), At(62) + Idle);
        Assert.Null(orphan.Session);
        Assert.Equal("s0", orphan.Event.SessionId);
        Assert.Equal(0, orphan.Event.SequenceNumber);
    }

    [Fact]
    public void The_context_shows_the_session_with_the_latest_activity()
    {
        var user = Support.Users.New();
        user.Apply(Ph.Click(At(0), session: "old"), At(0));
        user.Apply(Ph.PageView(At(100), session: "new"), At(100));
        user.Apply(Ph.Click(At(50), session: "old"), At(110)); // late activity, still older than "new"

        var ctx = Support.Users.Context(user);
        Assert.Equal("new", ctx.GetProperty("last_session").GetProperty("session_id").GetString());
        Assert.Equal("Viewed 1 page including home page.", ctx.GetProperty("last_session_summary").GetString());

        user.Apply(Ph.Click(At(200), session: "old"), At(200));
        Assert.Equal("old", Support.Users.Context(user).GetProperty("last_session").GetProperty("session_id").GetString());
    }

    [Fact]
    public void The_latest_session_stays_after_closing()
    {
        var user = Support.Users.New();
        user.Apply(Ph.Click(At(0)), At(0));
        user.CloseIdleSessions(At(0) + Idle);

        var session = Support.Users.Context(user).GetProperty("last_session");
        Assert.False(session.GetProperty("is_active").GetBoolean());
        Assert.Equal("2025-12-09T10:00:00Z", session.GetProperty("ended_at").GetString());
    }

    [Fact]
    public void Events_of_another_user_are_refused()
    {
        var user = Support.Users.New("u1");
        Assert.Throws<ArgumentException>(() => user.Apply(Ph.Event("$pageview", At(0), user: "u2"), At(0)));
        Assert.Equal(0, Support.Users.Context(user).GetProperty("recent_events").GetArrayLength());
    }

    [Fact]
    public void A_failed_enrichment_leaves_no_session_behind()
    {
        var calls = 0;
        var user = new SessionInsights.Domain.Users.UserActivity("u1", Support.Users.Options(), (e, s) =>
            ++calls == 1 ? throw new FormatException("bad event") : Ph.FakeEnrich(e, s));

        Assert.Throws<FormatException>(() => user.Apply(Ph.Click(At(0)), At(0)));
        Assert.Null(user.NextIdleCheck(At(0)));
        Assert.Equal(1, user.Apply(Ph.Click(At(1)), At(1)).Event.SequenceNumber);
    }

    [Fact]
    public void Recent_events_can_be_served_from_memory_until_some_were_evicted()
    {
        var user = Support.Users.New(options: Support.Users.Options(capacity: 5));
        for (var i = 0; i < 5; i++)
        {
            user.Apply(Ph.Click(At(i)), At(i));
        }
        Assert.True(user.CanServeFromMemory(500)); // nothing evicted: memory holds everything

        user.Apply(Ph.Click(At(-10)), At(10)); // older than all kept: goes straight to storage only
        Assert.True(user.CanServeFromMemory(5));
        Assert.False(user.CanServeFromMemory(6));

        var recent = Support.Users.Context(user, limit: 500).GetProperty("recent_events");
        Assert.Equal(5, recent.GetArrayLength());
        Assert.Equal("2025-12-09T10:00:00Z", recent[0].GetProperty("timestamp").GetString());
    }
}
