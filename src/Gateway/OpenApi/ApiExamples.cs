using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace SessionInsights.Gateway.OpenApi;

/// <summary>
/// Examples for the document, taken from the demo (<c>--demo</c>) and shortened. The conformance test
/// validates each against its schema, so an example cannot drift from the answer it shows.
/// </summary>
public static class ApiExamples
{
    public const string ContextText = """
        User demo-checkout-abandoner-1 | session started 2026-12-02T02:56:33.047206Z (-18s) | 5 pages | 4s | active
        Summary: Viewed 5 pages including home page, products page, cart page. Clicked 3 times. Triggered 2 custom events.
        Patterns:
        HIGH  Went to checkout but did not finish the purchase within 20 minutes (pending)
        Recent events (oldest first):
        -15s  cart page  Viewed cart page
        -14s  cart page  Clicked 'Checkout' button
        -14s  checkout page  Viewed checkout page
        -13s  checkout page  Left checkout page

        """;

    private const string Event = """
        {"enriched_event_id":"5ff724bf-da8f-8d9f-8957-6ac3ef9245a1","raw_event_id":"01a234ae-c0de-73e5-954a-8a222b7f45a0","session_id":"01a234ae-af17-7738-9edd-cc35a123367a",
         "semantic_label":"Viewed checkout page","event_type":"pageview","action_type":"view","timestamp":"2026-12-02T02:56:37.598403Z","original_timestamp":null,
         "page_path":"/checkout","page_title":"checkout page","element_type":null,"element_text":null,"sequence_number":10,"context":{"hierarchy":[],"posthog_event":"$pageview"}}
        """;

    private const string Pattern = """
        {"code":"checkout_abandonment","description":"Went to checkout but did not finish the purchase within 20 minutes","severity":"HIGH","status":"pending",
         "evidence":{"count":3,"first_seen":"2026-12-02T02:56:37.192175Z","last_seen":"2026-12-02T02:56:38.011859Z","event_ids":["5ff724bf-da8f-8d9f-8957-6ac3ef9245a1"]}}
        """;

    private const string Rule = """
        {"code":"checkout_abandonment","enabled":true,"version":1,"changed_by":"seed","changed_at":"2026-12-02T02:56:33.169331Z",
         "rule":{"code":"checkout_abandonment","severity":"HIGH","description":"Went to checkout but did not finish the purchase within 20 minutes",
                 "filter":{"semantic_words":"checkout"},"negative_filter":{"event_name":["order_completed","purchase"]},"negative_time_window_seconds":1200}}
        """;

    private const string RuleBody = """
        {"code":"pricing_hesitation","description":"Viewed pricing three times in ten minutes","severity":"MEDIUM","filter":{"page_path_equals":"/pricing","event_type":"pageview"},"min_count":3,"time_window_seconds":600}
        """;

    /// <summary>Answer examples by "METHOD /path" (the first 2xx JSON answer of the operation).</summary>
    public static readonly IReadOnlyDictionary<string, string> Answers = new Dictionary<string, string>
    {
        ["GET /session/context/{user_id}"] = $$"""
            {"generated_at":"2026-12-02T02:56:47.888650Z","user_id":"demo-checkout-abandoner-1","recent_events":[{{Event}}],
             "last_session_summary":"Viewed 5 pages including home page, products page, cart page. Clicked 3 times. Triggered 2 custom events.",
             "last_session":{"session_id":"01a234ae-af17-7738-9edd-cc35a123367a","started_at":"2026-12-02T02:56:33.047206Z","last_activity_at":"2026-12-02T02:56:38.011859Z",
                             "ended_at":null,"duration_seconds":4.964653,"event_count":11,"page_views_count":5,"clicks_count":3,"rage_clicks_count":0,
                             "custom_events_count":2,"first_page":"/","last_page":"/checkout","is_active":true},
             "previous_sessions":[{"session_id":"01a2349f-5b10-7c2e-8f3a-2d41e0c9a311","started_at":"2026-11-30T14:02:11.520114Z","ended_at":"2026-11-30T14:09:40.118502Z",
                                   "duration_seconds":448.598388,"page_views_count":4,"event_count":9,"first_page":"/","last_page":"/checkout",
                                   "summary":"Viewed 4 pages including home page, pricing page, checkout page. Clicked 3 times.",
                                   "patterns":[{"code":"checkout_abandonment","description":"Went to checkout but did not finish the purchase within 20 minutes","severity":"HIGH","status":"confirmed"}]}],
             "patterns":[{{Pattern}}]}
            """,
        ["GET /session/{session_id}"] = """
            {"generated_at":"2026-12-02T02:56:48.373975Z","session":{"session_id":"01a234ae-af17-7738-9edd-cc35a123367a","user_id":"demo-checkout-abandoner-1",
             "started_at":"2026-12-02T02:56:33.047206Z","last_activity_at":"2026-12-02T02:56:38.011859Z","ended_at":null,"duration_seconds":4.964653,
             "event_count":11,"page_views_count":5,"clicks_count":3,"first_page":"/","last_page":"/checkout",
             "session_summary":"Viewed 5 pages including home page, products page, cart page. Clicked 3 times. Triggered 2 custom events.","is_active":true,
             "patterns":[{"code":"checkout_abandonment","description":"Went to checkout but did not finish the purchase within 20 minutes","severity":"HIGH","status":"pending"}]},
             "events":[{"enriched_event_id":"5ff724bf-d82d-8544-823d-7c99959b7e60","raw_event_id":"01a234ae-c27c-7b3e-9e20-9c7851767e61","semantic_label":"Left checkout page",
             "event_type":"navigation","action_type":"leave","timestamp":"2026-12-02T02:56:38.011859Z","original_timestamp":null,"page_path":"/checkout",
             "page_title":"checkout page","element_type":null,"element_text":null,"sequence_number":11,"context":{"hierarchy":[],"posthog_event":"$pageleave"}}]}
            """,
        ["POST /ingest"] = """{"status":"accepted","uuid":"01a234ae-c0de-73e5-954a-8a222b7f45a0","duplicate":false}""",
        ["POST /batch"] = """{"status":1}""",
        ["POST /capture"] = """{"status":1}""",
        ["POST /e"] = """{"status":1}""",
        ["POST /i/v0/e"] = """{"status":1}""",
        ["GET /health"] = """
            {"status":"ok","node":"S127.0.0.1:11111:155184991","roles":["silo","gateway"],"active_silos":1,"grains":{"active_users":4,"active_sessions":4,"user_activations":4}}
            """,
        ["GET /rules"] = $$"""{"generated_at":"2026-12-02T02:56:47.966759Z","project_id":1,"version":1,"rules":[{{Rule}}]}""",
        ["POST /rules"] = """{"code":"pricing_hesitation","change":"create","written":true,"version":2}""",
        ["PUT /rules/{code}"] = """{"code":"pricing_hesitation","change":"update","written":true,"version":3}""",
        ["DELETE /users/{distinct_id}"] = """
            {"generated_at":"2026-12-02T02:58:10.120331Z","status":"erased","erased_at":"2026-12-02T02:58:10.120331Z",
             "rows":{"raw_events":12,"enriched_events":11,"sessions":1,"snapshots":1}}
            """,
        ["POST /events/dead-letters/retry"] = """{"retried":3,"users":2}""",
    };

    /// <summary>Request body examples by "METHOD /path".</summary>
    public static readonly IReadOnlyDictionary<string, string> Requests = new Dictionary<string, string>
    {
        ["POST /ingest"] = """
            {"event":{"event":"$pageview","distinct_id":"user-42","uuid":"01a234ae-c0de-73e5-954a-8a222b7f45a0","timestamp":"2026-12-02T02:56:37.598Z",
             "properties":{"$session_id":"s-1","$current_url":"https://shop.example/checkout","$pathname":"/checkout"}}}
            """,
        ["POST /rules"] = RuleBody,
        ["PUT /rules/{code}"] = RuleBody,
        ["POST /rules/backtest"] = $$"""{"rule":{{RuleBody}},"from":"2026-11-25T00:00:00Z","to":"2026-12-02T00:00:00Z"}""",
        ["POST /rules/{code}/backtest"] = """{"from":"2026-11-25T00:00:00Z","to":"2026-12-02T00:00:00Z"}""",
    };

    public static void Apply(string key, OpenApiOperation operation)
    {
        if (Answers.TryGetValue(key, out var answer) && operation.Responses is { } responses)
        {
            var ok = responses.Where(r => r.Key.StartsWith('2')).Select(r => r.Value.Content).FirstOrDefault(c => c?.ContainsKey("application/json") == true);
            if (ok is not null)
            {
                ok["application/json"].Example = JsonNode.Parse(answer);
            }
        }
        if (Requests.TryGetValue(key, out var body) && operation.RequestBody?.Content is { } content && content.TryGetValue("application/json", out var media))
        {
            media.Example = JsonNode.Parse(body);
        }
    }
}
