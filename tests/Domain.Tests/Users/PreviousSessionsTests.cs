using System.Text.Json;
using SessionInsights.Domain.Context;
using SessionInsights.Domain.Storage;
using SessionInsights.Domain.Tests.Support;
using SessionInsights.Domain.Users;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Users;

/// <summary>The context's previous_sessions: which sessions, in which order, with which fields, from memory or storage.</summary>
public class PreviousSessionsTests
{
    private const double Day = 86400;

    /// <summary>
    /// Sessions s1..s<paramref name="count"/>, one a day (a page view, then for odd ones a Buy click
    /// 90 s later that fires <c>buy_clicker</c>); each closes before the next starts. Returns the
    /// user and every row a grain would have stored, latest version per session.
    /// </summary>
    private static (UserActivity User, Dictionary<string, SessionRecord> Stored) Daily(int count)
    {
        var rules = Rules.Many(Rules.Rule("buy_clicker", "\"filter\":{\"semantic_contains\":\"buy\"}", "HIGH"));
        var user = Support.Users.New(options: Support.Users.Options(rules));
        var stored = new Dictionary<string, SessionRecord>();
        for (var i = 1; i <= count; i++)
        {
            var start = At(i * Day);
            foreach (var row in user.CloseIdleSessions(start))
            {
                stored[row.SessionId] = row;
            }
            var applied = user.Apply(Ph.PageView(start, $"/p{i}", session: $"s{i}"), start);
            stored[$"s{i}"] = applied.Session!;
            if (i % 2 == 1)
            {
                applied = user.Apply(Ph.Click(start.AddSeconds(90), session: $"s{i}", path: "/cart"), start.AddSeconds(90));
                stored[$"s{i}"] = applied.Session!;
            }
        }
        return (user, stored);
    }

    private static List<string> Ids(JsonElement context) =>
        [.. context.GetProperty("previous_sessions").EnumerateArray().Select(s => s.GetProperty("session_id").GetString()!)];

    [Fact]
    public void The_sessions_before_the_latest_newest_first_with_their_fields()
    {
        var (user, _) = Daily(4);
        var now = At(4 * Day + 100);

        var ctx = JsonDocument.Parse(user.RenderContext(20, null, now)).RootElement;

        Assert.Equal("s4", ctx.GetProperty("last_session").GetProperty("session_id").GetString());
        Assert.Equal(["s3", "s2", "s1"], Ids(ctx));
        // Right after last_session, before patterns: an added field, the rest in place.
        Assert.Equal(
            ["user_id", "recent_events", "last_session_summary", "last_session", "previous_sessions", "patterns"],
            ctx.EnumerateObject().Select(p => p.Name));
        var s3 = ctx.GetProperty("previous_sessions")[0];
        Assert.Equal(
            ["session_id", "started_at", "ended_at", "duration_seconds", "page_views_count", "event_count", "first_page", "last_page", "summary", "patterns"],
            s3.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2025-12-12T10:00:00Z", s3.GetProperty("started_at").GetString());
        Assert.Equal("2025-12-12T10:01:30Z", s3.GetProperty("ended_at").GetString()); // closed: its last activity
        Assert.Equal(90, s3.GetProperty("duration_seconds").GetDouble());
        Assert.Equal((1, 2), (s3.GetProperty("page_views_count").GetInt32(), s3.GetProperty("event_count").GetInt32()));
        Assert.Equal(("/p3", "/cart"), (s3.GetProperty("first_page").GetString(), s3.GetProperty("last_page").GetString()));
        Assert.Equal("Viewed 1 page including p3 page. Clicked 1 time.", s3.GetProperty("summary").GetString());
        Assert.Equal(
            """[{"code":"buy_clicker","description":"about buy_clicker","severity":"HIGH","status":"confirmed"}]""",
            s3.GetProperty("patterns").GetRawText());
        Assert.Equal("[]", ctx.GetProperty("previous_sessions")[1].GetProperty("patterns").GetRawText());
    }

    [Fact]
    public void The_count_is_a_limit_and_zero_leaves_the_list_empty()
    {
        var (user, _) = Daily(3);
        var now = At(3 * Day + 100);

        Assert.Equal(["s2"], Ids(JsonDocument.Parse(user.RenderContext(20, null, now, previousSessions: 1)).RootElement));
        Assert.Equal(["s2", "s1"], Ids(JsonDocument.Parse(user.RenderContext(20, null, now, previousSessions: 10)).RootElement));
        Assert.Empty(Ids(JsonDocument.Parse(user.RenderContext(20, null, now, previousSessions: 0)).RootElement));
        // A first session has none; an unknown user neither.
        Assert.Empty(Ids(JsonDocument.Parse(Daily(1).User.RenderContext(20, null, now)).RootElement));
        Assert.Empty(Ids(JsonDocument.Parse(Support.Users.New().RenderContext(20, null, now)).RootElement));
    }

    [Fact]
    public void A_previous_session_still_open_has_no_end()
    {
        var user = Support.Users.New();
        user.Apply(Ph.PageView(At(0), "/a", session: "tab-a"), At(0));
        user.Apply(Ph.PageView(At(60), "/b", session: "tab-b"), At(60));

        var previous = JsonDocument.Parse(user.RenderContext(20, null, At(61))).RootElement.GetProperty("previous_sessions");

        var tabA = Assert.Single(previous.EnumerateArray());
        Assert.Equal("tab-a", tabA.GetProperty("session_id").GetString());
        Assert.Equal(JsonValueKind.Null, tabA.GetProperty("ended_at").ValueKind);
    }

    [Fact]
    public void Memory_serves_what_it_is_sure_of_and_storage_the_rest()
    {
        // Seven daily sessions: when s7 starts, s6 is the latest and s1..s5 are closed; four are kept, s1 is forgotten.
        var (user, stored) = Daily(7);
        Assert.True(user.CanServePreviousSessionsFromMemory(0));
        Assert.True(user.CanServePreviousSessionsFromMemory(3));
        Assert.True(user.CanServePreviousSessionsFromMemory(4));
        // s2 is in memory, but a forgotten session could have started after it (sessions may overlap).
        Assert.False(user.CanServePreviousSessionsFromMemory(5));
        Assert.False(user.CanServePreviousSessionsFromMemory(10));
        Assert.Equal(["s6", "s5", "s4"], user.PreviousSessions(3, null).Select(s => s.SessionId));
        Assert.Equal(["s6", "s5", "s4", "s3", "s2"], user.PreviousSessions(10, null).Select(s => s.SessionId)); // s1 is gone from memory

        // Storage's newest by start, count + 1 rows (the latest is among them).
        var rows = stored.Values.OrderByDescending(r => r.StartedAt).Take(11).ToList();
        Assert.Equal(["s6", "s5", "s4", "s3", "s2", "s1"], user.PreviousSessions(10, null, rows, []).Select(s => s.SessionId));
        Assert.Equal(["s6", "s5", "s4", "s3", "s2"], user.PreviousSessions(5, null, rows.Take(6).ToList(), []).Select(s => s.SessionId));

        // Without anything forgotten memory holds every session, however many are asked for.
        var (few, _) = Daily(6);
        Assert.True(few.CanServePreviousSessionsFromMemory(10));
        Assert.Equal(["s5", "s4", "s3", "s2", "s1"], few.PreviousSessions(10, null).Select(s => s.SessionId));
    }

    [Fact]
    public void Memory_and_uncommitted_rows_win_over_stale_stored_ones()
    {
        var (user, stored) = Daily(7);
        var staleS5 = stored["s5"] with { EventCount = 1, Summary = "stale", IsActive = true, EndedAt = null };
        var openS1 = stored["s1"] with { Summary = "stored while open", IsActive = true, EndedAt = null };
        var closedS1 = stored["s1"] with { Summary = "closed, not yet committed" };

        var merged = user.PreviousSessions(10, null, [stored["s7"], stored["s6"], staleS5, stored["s4"], stored["s3"], stored["s2"], openS1], [closedS1]);

        Assert.Equal(["s6", "s5", "s4", "s3", "s2", "s1"], merged.Select(s => s.SessionId));
        Assert.Equal((2, false), (merged[1].EventCount, merged[1].IsActive)); // memory's s5
        Assert.Equal("closed, not yet committed", merged[5].Summary);
    }

    [Fact]
    public void Rows_from_any_backend_render_alike_and_confirmed_only_drops_pending_patterns()
    {
        // PostgreSQL's jsonb gives keys back in its own order and spacing.
        var row = new SessionRecord("s-old", "u1", At(0), At(30), At(30), 3, 2, 1, "/", "/cart", "Viewed 2 pages.", false,
            """[{"code": "cart_left", "status": "pending", "severity": "MEDIUM", "description": "Left the cart"}, {"code": "rage", "status": "confirmed", "severity": "HIGH", "description": "Rage"}]""");

        var all = JsonDocument.Parse(ContextRenderer.Render("u1", [], null, At(40), previous: [row])).RootElement.GetProperty("previous_sessions")[0];
        var confirmed = JsonDocument.Parse(ContextRenderer.Render("u1", [], null, At(40), confirmedOnly: true, previous: [row])).RootElement.GetProperty("previous_sessions")[0];

        Assert.Equal(
            """[{"code":"cart_left","description":"Left the cart","severity":"MEDIUM","status":"pending"},{"code":"rage","description":"Rage","severity":"HIGH","status":"confirmed"}]""",
            all.GetProperty("patterns").GetRawText());
        Assert.Equal(["rage"], confirmed.GetProperty("patterns").EnumerateArray().Select(p => p.GetProperty("code").GetString()));
    }

    [Fact]
    public void Ties_on_start_are_broken_by_id_like_storage()
    {
        var a = new SessionRecord("a", "u1", At(0), At(1), null, 1, 1, 0, "/", "/", "x", true, "[]");
        var b = a with { SessionId = "b" };
        var c = a with { SessionId = "c", StartedAt = At(-1) };

        Assert.Equal(["b", "a", "c"], SessionHistory.Pick(null, 5, [c, a, b]).Select(s => s.SessionId));
        Assert.Equal(["a", "c"], SessionHistory.Pick("b", 5, [c, a, b]).Select(s => s.SessionId));
    }
}
