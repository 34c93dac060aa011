using System.Text.Json;
using SessionInsights.Domain.Tests.Support;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Context;

public class ContextJsonTests
{
    private static readonly DateTimeOffset Now = At(3600);

    [Fact]
    public void An_unknown_user_has_empty_lists_and_a_null_summary()
    {
        var ctx = Support.Users.Context(Support.Users.New("nobody"));

        Assert.Equal("nobody", ctx.GetProperty("user_id").GetString());
        Assert.Equal(0, ctx.GetProperty("recent_events").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, ctx.GetProperty("last_session_summary").ValueKind);
        Assert.Equal(JsonValueKind.Null, ctx.GetProperty("last_session").ValueKind);
        Assert.Equal(0, ctx.GetProperty("patterns").GetArrayLength());
    }

    [Fact]
    public void Recent_events_carry_every_spec_field()
    {
        var user = Support.Users.New();
        var raw = Ph.Event("$pageview", new DateTimeOffset(2025, 12, 9, 11, 30, 45, TimeSpan.FromHours(1)), label: "Viewed billing page", path: "/billing");
        user.Apply(raw, Now);

        var e = Support.Users.Context(user, now: Now).GetProperty("recent_events")[0];

        Assert.Equal(raw.Uuid, e.GetProperty("enriched_event_id").GetGuid());
        Assert.Equal(raw.Uuid, e.GetProperty("raw_event_id").GetGuid());
        Assert.Equal("s1", e.GetProperty("session_id").GetString());
        Assert.Equal("Viewed billing page", e.GetProperty("semantic_label").GetString());
        Assert.Equal("pageview", e.GetProperty("event_type").GetString());
        Assert.Equal("view", e.GetProperty("action_type").GetString());
        Assert.Equal("2025-12-09T10:30:45Z", e.GetProperty("timestamp").GetString());
        // The client's own time only when the gateway used another one (docs/ingestion.md "What is stored").
        Assert.Equal(JsonValueKind.Null, e.GetProperty("original_timestamp").ValueKind);
        Assert.Equal("/billing", e.GetProperty("page_path").GetString());
        Assert.Equal("billing page", e.GetProperty("page_title").GetString());
        Assert.Equal(JsonValueKind.Null, e.GetProperty("element_type").ValueKind);
        Assert.Equal(JsonValueKind.Null, e.GetProperty("element_text").ValueKind);
        Assert.Equal(1, e.GetProperty("sequence_number").GetInt32());
        Assert.Equal("""{"posthog_event":"$pageview","n":[1,2]}""", e.GetProperty("context").GetRawText());
        Assert.Equal(14, e.EnumerateObject().Count());
    }

    [Fact]
    public void Element_fields_and_odd_characters_are_written_as_json()
    {
        var session = new Domain.Sessions.TrackedSession("s1", "u1", Domain.Patterns.PatternRuleSet.Default);
        var e = session.Apply(Make("Clicked 'Größe \"XL\"' button", At(0.1234567), elementType: "button", elementText: "Größe \"XL\"", contextJson: """{"emoji":"🚁"}"""), At(0));

        var json = JsonDocument.Parse(Domain.Context.ContextRenderer.Render("u1", [e], session)).RootElement;
        var written = json.GetProperty("recent_events")[0];

        Assert.Equal("button", written.GetProperty("element_type").GetString());
        Assert.Equal("Größe \"XL\"", written.GetProperty("element_text").GetString());
        Assert.Equal("Clicked 'Größe \"XL\"' button", written.GetProperty("semantic_label").GetString());
        Assert.Equal("🚁", written.GetProperty("context").GetProperty("emoji").GetString());
        Assert.Equal("2025-12-09T10:00:00.123456Z", written.GetProperty("timestamp").GetString()); // microseconds, cut as PostgreSQL keeps them

        // Readable in a prompt: only what JSON requires is escaped.
        var text = System.Text.Encoding.UTF8.GetString(Domain.Context.ContextRenderer.Render("u1", [e], session));
        Assert.Contains("\"semantic_label\":\"Clicked 'Größe \\\"XL\\\"' button\"", text);
    }

    [Theory]
    [InlineData(0, "2025-12-09T10:00:00Z")]
    [InlineData(0.5, "2025-12-09T10:00:00.5Z")]
    [InlineData(1.001, "2025-12-09T10:00:01.001Z")]
    [InlineData(2.0000019, "2025-12-09T10:00:02.000001Z")] // the seventh digit is never written
    public void Timestamps_are_utc_with_only_significant_fractional_digits(double seconds, string expected)
    {
        var user = Support.Users.New();
        user.Apply(Ph.Click(At(seconds)), At(seconds));
        Assert.Equal(expected, Support.Users.Context(user, now: Now).GetProperty("recent_events")[0].GetProperty("timestamp").GetString());
    }

    [Fact]
    public void Recent_events_are_oldest_first_by_timestamp_then_sequence_number()
    {
        var user = Support.Users.New();
        user.Apply(Ph.Click(At(30), "third"), Now);
        user.Apply(Ph.Click(At(10), "first"), Now);
        user.Apply(Ph.Click(At(20), "second (a)"), Now);
        user.Apply(Ph.Click(At(20), "second (b)"), Now);

        var labels = Support.Users.Context(user, now: Now).GetProperty("recent_events").EnumerateArray()
            .Select(e => e.GetProperty("semantic_label").GetString());

        Assert.Equal(["first", "second (a)", "second (b)", "third"], labels);
    }

    [Fact]
    public void Limit_keeps_the_latest_events_across_sessions()
    {
        var user = Support.Users.New();
        for (var i = 0; i < 10; i++)
        {
            user.Apply(Ph.Click(At(i), $"e{i}", session: i % 2 == 0 ? "a" : "b"), Now);
        }

        var labels = Support.Users.Context(user, limit: 3, now: Now).GetProperty("recent_events").EnumerateArray()
            .Select(e => e.GetProperty("semantic_label").GetString());

        Assert.Equal(["e7", "e8", "e9"], labels);
        Assert.Equal(["e7", "e8", "e9"], user.RecentEvents(3, null, Now).Select(e => e.SemanticLabel));
    }

    [Fact]
    public void Lookback_keeps_events_at_or_after_now_minus_lookback()
    {
        var user = Support.Users.New();
        user.Apply(Ph.Click(Now - TimeSpan.FromHours(2) - TimeSpan.FromMilliseconds(1), "too old"), Now);
        user.Apply(Ph.Click(Now - TimeSpan.FromHours(2), "at the edge"), Now);
        user.Apply(Ph.Click(Now - TimeSpan.FromMinutes(5), "recent"), Now);

        var labels = Support.Users.Context(user, 20, TimeSpan.FromHours(2), Now).GetProperty("recent_events").EnumerateArray()
            .Select(e => e.GetProperty("semantic_label").GetString());

        Assert.Equal(["at the edge", "recent"], labels);
        Assert.Equal(3, Support.Users.Context(user, 20, null, Now).GetProperty("recent_events").GetArrayLength());
    }

    [Fact]
    public void The_last_session_object_and_summary_describe_the_latest_session()
    {
        var user = Support.Users.New();
        user.Apply(Ph.PageView(At(0), "/products"), At(0));
        user.Apply(Ph.Click(At(45), "Clicked 'Buy'", path: "/cart"), At(45));

        var ctx = Support.Users.Context(user, now: At(50));
        var s = ctx.GetProperty("last_session");

        Assert.Equal("Viewed 1 page including products page. Clicked 1 time.", ctx.GetProperty("last_session_summary").GetString());
        Assert.Equal("s1", s.GetProperty("session_id").GetString());
        Assert.Equal("2025-12-09T10:00:00Z", s.GetProperty("started_at").GetString());
        Assert.Equal("2025-12-09T10:00:45Z", s.GetProperty("last_activity_at").GetString());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("ended_at").ValueKind);
        Assert.Equal(45, s.GetProperty("duration_seconds").GetDouble());
        Assert.Equal(2, s.GetProperty("event_count").GetInt32());
        Assert.Equal(1, s.GetProperty("page_views_count").GetInt32());
        Assert.Equal(1, s.GetProperty("clicks_count").GetInt32());
        Assert.Equal(0, s.GetProperty("rage_clicks_count").GetInt32());
        Assert.Equal("/products", s.GetProperty("first_page").GetString());
        Assert.Equal("/cart", s.GetProperty("last_page").GetString());
        Assert.True(s.GetProperty("is_active").GetBoolean());
    }

    [Fact]
    public void Patterns_come_in_rule_order_with_their_evidence()
    {
        var rules = Rules.Many(
            Rules.Rule("short_session", "\"session_filter\":{\"max_events\":10}", "LOW"),
            Rules.Rule("cart_twice", "\"filter\":{\"semantic_contains\":\"cart\"},\"min_count\":2", "HIGH"),
            Rules.Rule("never", "\"filter\":{\"semantic_contains\":\"zzz\"}"));
        var user = Support.Users.New(options: Support.Users.Options(rules));
        var first = user.Apply(Ph.Click(At(10), "Clicked 'Add to Cart'"), At(10)).Event;
        user.Apply(Ph.PageView(At(0)), At(11));
        var second = user.Apply(Ph.Click(At(20), "Clicked 'View Cart'"), At(20)).Event;

        var patterns = Support.Users.Context(user, now: At(30)).GetProperty("patterns");

        Assert.Equal(2, patterns.GetArrayLength());
        var session = patterns[0];
        Assert.Equal("short_session", session.GetProperty("code").GetString());
        Assert.Equal("about short_session", session.GetProperty("description").GetString());
        Assert.Equal("LOW", session.GetProperty("severity").GetString());
        // A session-only rule has the session itself as its evidence.
        Assert.Equal(3, session.GetProperty("evidence").GetProperty("count").GetInt32());
        Assert.Equal("2025-12-09T10:00:00Z", session.GetProperty("evidence").GetProperty("first_seen").GetString());
        Assert.Equal(0, session.GetProperty("evidence").GetProperty("event_ids").GetArrayLength());

        var cart = patterns[1];
        Assert.Equal(("cart_twice", "HIGH"), (cart.GetProperty("code").GetString(), cart.GetProperty("severity").GetString()));
        var evidence = cart.GetProperty("evidence");
        Assert.Equal(2, evidence.GetProperty("count").GetInt32());
        Assert.Equal("2025-12-09T10:00:10Z", evidence.GetProperty("first_seen").GetString());
        Assert.Equal("2025-12-09T10:00:20Z", evidence.GetProperty("last_seen").GetString());
        Assert.Equal([first.EnrichedEventId, second.EnrichedEventId], evidence.GetProperty("event_ids").EnumerateArray().Select(x => x.GetGuid()));
    }

    [Fact]
    public void Rendering_with_given_events_uses_them_and_the_latest_session()
    {
        var user = Support.Users.New();
        user.Apply(Ph.Click(At(0), "in memory"), At(0));
        var fromStorage = Make("from storage", At(-100), session: "old");

        var ctx = JsonDocument.Parse(user.RenderContext([fromStorage])).RootElement;

        var recent = Assert.Single(ctx.GetProperty("recent_events").EnumerateArray());
        Assert.Equal("from storage", recent.GetProperty("semantic_label").GetString());
        Assert.Equal("s1", ctx.GetProperty("last_session").GetProperty("session_id").GetString());
        Assert.Equal("Clicked 1 time.", ctx.GetProperty("last_session_summary").GetString());
    }

    [Fact]
    public void Spec_fields_come_first_in_spec_order()
    {
        var user = Support.Users.New();
        user.Apply(Ph.Click(At(0)), At(0));
        var names = Support.Users.Context(user).EnumerateObject().Select(p => p.Name);
        Assert.Equal(["user_id", "recent_events", "last_session_summary", "last_session", "previous_sessions", "patterns"], names);
    }
}
