using System.Text.Json;
using SessionInsights.Domain.Context;

namespace SessionInsights.Domain.Tests.Context;

public class ContextTextTests
{
    /// <summary>A context as the gateway serves it (generated_at first), trimmed to what the text reads.</summary>
    internal const string Example = """
        {"generated_at":"2025-12-09T10:37:17Z","user_id":"u-42",
         "recent_events":[
          {"enriched_event_id":"e1","raw_event_id":"e1","session_id":"s-1","semantic_label":"Viewed billing page","event_type":"pageview","action_type":"view","timestamp":"2025-12-09T10:25:12Z","original_timestamp":null,"page_path":"/billing","page_title":"billing page","element_type":null,"element_text":null,"sequence_number":1,"context":{}},
          {"enriched_event_id":"e2","raw_event_id":"e2","session_id":"s-1","semantic_label":"Clicked 'Upgrade to Pro' button","event_type":"click","action_type":"click","timestamp":"2025-12-09T10:33:05Z","original_timestamp":null,"page_path":"/billing","page_title":"billing page","element_type":"button","element_text":"Upgrade to Pro","sequence_number":2,"context":{}},
          {"enriched_event_id":"e3","raw_event_id":"e3","session_id":"s-1","semantic_label":"Clicked 'Upgrade to Pro' button","event_type":"click","action_type":"click","timestamp":"2025-12-09T10:33:06.5Z","original_timestamp":null,"page_path":"/billing","page_title":"billing page","element_type":"button","element_text":"Upgrade to Pro","sequence_number":3,"context":{}},
          {"enriched_event_id":"e4","raw_event_id":"e4","session_id":"s-1","semantic_label":"Clicked 'Upgrade to Pro' button","event_type":"click","action_type":"click","timestamp":"2025-12-09T10:33:08Z","original_timestamp":null,"page_path":"/billing","page_title":"billing page","element_type":"button","element_text":"Upgrade to Pro","sequence_number":4,"context":{}},
          {"enriched_event_id":"e5","raw_event_id":"e5","session_id":"s-1","semantic_label":"Viewed support page","event_type":"pageview","action_type":"view","timestamp":"2025-12-09T10:37:02Z","original_timestamp":null,"page_path":"/support","page_title":null,"element_type":null,"element_text":null,"sequence_number":5,"context":{}}],
         "last_session_summary":"Viewed 2 pages including billing page, /support. Clicked 3 times.",
         "last_session":{"session_id":"s-1","started_at":"2025-12-09T10:25:12Z","last_activity_at":"2025-12-09T10:37:02Z","ended_at":null,"duration_seconds":710,"event_count":5,"page_views_count":2,"clicks_count":3,"rage_clicks_count":0,"custom_events_count":0,"first_page":"/billing","last_page":"/support","is_active":true},
         "patterns":[
          {"code":"support_seeker","description":"Went to support","severity":"LOW","status":"confirmed","evidence":{"count":1,"first_seen":"2025-12-09T10:37:02Z","last_seen":"2025-12-09T10:37:02Z","event_ids":["e5"]}},
          {"code":"upgrade_blocked","description":"Tried to upgrade several times without finishing","severity":"HIGH","status":"pending","evidence":{"count":3,"first_seen":"2025-12-09T10:33:05Z","last_seen":"2025-12-09T10:33:08Z","event_ids":["e2","e3","e4"]}}]}
        """;

    [Fact]
    public void Renders_header_summary_patterns_by_severity_and_events_oldest_first_with_relative_times()
    {
        var text = ContextText.Render(JsonDocument.Parse(Example).RootElement);

        Assert.Equal(
            """
            User u-42 | session started 2025-12-09T10:25:12Z (-12m05s) | 2 pages | 11m50s | active
            Summary: Viewed 2 pages including billing page, /support. Clicked 3 times.
            Patterns:
            HIGH  Tried to upgrade several times without finishing (pending)
            LOW  Went to support
            Recent events (oldest first):
            -12m05s  billing page  Viewed billing page
            -4m12s  billing page  Clicked 'Upgrade to Pro' button ×3
            -15s  /support  Viewed support page

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void A_user_without_sessions_says_so_in_one_line_each()
    {
        var text = ContextText.Render(JsonDocument.Parse("""{"generated_at":"2025-12-09T10:00:00Z","user_id":"nobody","recent_events":[],"last_session_summary":null,"last_session":null,"patterns":[]}""").RootElement);

        Assert.Equal("User nobody | no session yet\nSummary: none\nPatterns: none\nRecent events: none\n", text);
    }

    [Fact]
    public void Kept_parts_are_said_in_the_section_lines()
    {
        var parts = ContextText.Read(JsonDocument.Parse(Example).RootElement);

        var text = ContextText.Render(parts, patterns: 1, events: 0, previousSessions: 0);
        Assert.Contains("Patterns (the 1 most severe of 2):\nHIGH  Tried", text);
        Assert.DoesNotContain("LOW", text);
        Assert.EndsWith("Recent events: 5 left out\n", text);

        // The newest two: one click of the run of three, then the support page.
        Assert.EndsWith("Recent events (newest 2 of 5, oldest first):\n-4m09s  billing page  Clicked 'Upgrade to Pro' button\n-15s  /support  Viewed support page\n", ContextText.Render(parts, 2, 2, 0));
    }

    /// <summary><see cref="Example"/> with two previous sessions (the older still open), placed after last_session as the grain writes them.</summary>
    internal static string WithHistory()
    {
        var doc = System.Text.Json.Nodes.JsonNode.Parse(Example)!.AsObject();
        var copy = new System.Text.Json.Nodes.JsonObject();
        foreach (var (name, value) in doc.ToList())
        {
            doc.Remove(name);
            copy[name] = value;
            if (name == "last_session")
            {
                copy["previous_sessions"] = System.Text.Json.Nodes.JsonNode.Parse("""
                    [{"session_id":"s-0","started_at":"2025-12-03T08:35:00Z","ended_at":"2025-12-03T08:49:10Z","duration_seconds":850,"page_views_count":4,"event_count":9,"first_page":"/","last_page":"/cart","summary":"Viewed 4 pages including cart page. Clicked 5 times.","patterns":[{"code":"cart_abandonment","description":"Left the cart","severity":"HIGH","status":"confirmed"},{"code":"support_seeker","description":"Went to support","severity":"LOW","status":"confirmed"}]},
                     {"session_id":"s-00","started_at":"2025-12-01T10:37:17Z","ended_at":null,"duration_seconds":45.5,"page_views_count":1,"event_count":1,"first_page":"/","last_page":"/","summary":"Viewed 1 page including home page.","patterns":[]}]
                    """);
            }
        }
        return copy.ToJsonString();
    }

    [Fact]
    public void Previous_sessions_come_after_the_patterns_one_line_each()
    {
        var text = ContextText.Render(JsonDocument.Parse(WithHistory()).RootElement);

        Assert.Contains(
            """
            LOW  Went to support
            Previous sessions (newest first):
            -6d02h  14m10s  4 pages  Viewed 4 pages including cart page. Clicked 5 times.  patterns: cart_abandonment, support_seeker
            -8d00h  45s  1 page (open)  Viewed 1 page including home page.
            Recent events (oldest first):

            """.ReplaceLineEndings("\n"),
            text);

        var parts = ContextText.Read(JsonDocument.Parse(WithHistory()).RootElement);
        Assert.Contains("Previous sessions (newest 1 of 2):\n-6d02h  14m10s", ContextText.Render(parts, 2, 5, 1));
        Assert.Contains("LOW  Went to support\nPrevious sessions: 2 left out\nRecent events", ContextText.Render(parts, 2, 5, 0));
        // None listed (asked for 0, or a first session): no block at all.
        Assert.DoesNotContain("Previous sessions", ContextText.Render(JsonDocument.Parse(Example).RootElement));
    }

    [Theory]
    [InlineData(0, "-0s")]
    [InlineData(59.9, "-59s")]
    [InlineData(60, "-1m00s")]
    [InlineData(252, "-4m12s")]
    [InlineData(3600 * 2 + 5 * 60 + 7, "-2h05m")]
    [InlineData(86400 * 3 + 3600 * 4, "-3d04h")]
    [InlineData(-5, "+5s")]
    public void Relative_times_are_compact(double secondsAgo, string expected)
    {
        var now = new DateTimeOffset(2025, 12, 9, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(expected, ContextText.Relative(now.AddSeconds(-secondsAgo), now));
    }
}
