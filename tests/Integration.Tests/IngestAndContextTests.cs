using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests;

/// <summary>The product path over real HTTP on a real gateway process, for each storage backend.</summary>
public sealed class IngestAndContextTests
{
    public static TheoryData<string> Backends => new() { "postgres", "sqlite" };

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Journey_shows_labels_summary_and_patterns(string kind)
    {
        await using var db = await StorageBackend.CreateAsync(kind);
        await using var node = await NodeProcess.StartGatewayAsync(db.NodeEnvironment());
        using var http = node.CreateClient();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        const string user = "user-journey";
        const string session = "s-journey";
        var events = new[]
        {
            Pageview(user, session, t0, "/"),
            Pageview(user, session, t0.AddSeconds(10), "/products"),
            Click(user, session, t0.AddSeconds(20), "/products", "Add to Cart"),
            Custom("item_added_to_cart", user, session, t0.AddSeconds(21), "/products"),
            Pageview(user, session, t0.AddSeconds(40), "/checkout"),
        };
        foreach (var e in events)
        {
            var response = await http.PostAsJsonAsync("/ingest", Envelope(e));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var context = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 5);

        Assert.Equal(user, context.GetProperty("user_id").GetString());
        Assert.Equal(
            ["Viewed home page", "Viewed products page", "Clicked 'Add to Cart' button", "Item added to cart", "Viewed checkout page"],
            ContextReader.Labels(context));
        Assert.Equal([1, 2, 3, 4, 5], context.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("sequence_number").GetInt32()));
        var summary = context.GetProperty("last_session_summary").GetString()!;
        Assert.StartsWith("Viewed 3 pages including home page, products page, checkout page. Clicked 1 time", summary);
        var patterns = ContextReader.PatternCodes(context);
        Assert.Contains("checkout_abandonment", patterns);
        Assert.DoesNotContain("cart_abandonment_with_items", patterns);

        // What the chatbot sees is also what was made durable.
        await ContextReader.WaitUntilAsync(async () => await db.CountAsync("enriched_event") == 5, "enriched rows");
        // DONE comes with the snapshot commit that covers the events (Grains:SnapshotInterval), after the rows.
        await ContextReader.WaitUntilAsync(async () => await db.ScalarAsync("SELECT count(*) FROM raw_event WHERE status = 'DONE'") == 5, "the events DONE", 60000);
        Assert.Equal(1, await db.CountAsync("session"));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Duplicate_uuid_is_acknowledged_and_counted_once(string kind)
    {
        await using var db = await StorageBackend.CreateAsync(kind);
        await using var node = await NodeProcess.StartGatewayAsync(db.NodeEnvironment());
        using var http = node.CreateClient();
        var evt = Pageview("user-dup", "s-dup", DateTimeOffset.UtcNow, "/pricing");

        var first = await http.PostAsJsonAsync("/ingest", Envelope((System.Text.Json.Nodes.JsonObject)evt.DeepClone()));
        var second = await http.PostAsJsonAsync("/ingest", Envelope((System.Text.Json.Nodes.JsonObject)evt.DeepClone()));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.False((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        Assert.True((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        // The duplicate was never stored, so never delivered: once the one stored event is committed
        // nothing else can arrive, and every view must count it once.
        await ContextReader.WaitUntilAsync(async () => await db.ScalarAsync("SELECT count(*) FROM raw_event WHERE status = 'DONE'") == 1, "the event committed DONE", 60000);
        Assert.Equal(1, await db.CountAsync("raw_event"));
        var uuid = evt["uuid"]!.GetValue<string>();
        Assert.Equal(1, await db.ScalarAsync($"SELECT count(*) FROM enriched_event WHERE raw_event_id = '{uuid}'"));
        Assert.Equal(1, await db.CountAsync("enriched_event"));
        var context = await ContextReader.GetAsync(http, "user-dup");
        Assert.Equal(1, ContextReader.EventCount(context));
        Assert.Equal(1, context.GetProperty("last_session").GetProperty("event_count").GetInt32());
        var session = await SessionReader.WaitForAsync(http, "s-dup", s => SessionReader.EventCount(s) >= 1);
        Assert.Equal(1, SessionReader.EventCount(session));
        Assert.Equal(1, session.GetProperty("events").GetArrayLength());
        Assert.Equal(1, await db.ScalarAsync("SELECT event_count FROM session WHERE session_id = 's-dup'"));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Unknown_user_gets_an_empty_context(string kind)
    {
        await using var db = await StorageBackend.CreateAsync(kind);
        await using var node = await NodeProcess.StartGatewayAsync(db.NodeEnvironment());
        using var http = node.CreateClient();

        var context = await ContextReader.GetAsync(http, "nobody-here");

        Assert.Equal(0, ContextReader.EventCount(context));
        Assert.Equal(JsonValueKind.Null, context.GetProperty("last_session_summary").ValueKind);
        Assert.Equal(0, context.GetProperty("patterns").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Thousand_concurrent_ingests_for_one_user_get_sequence_numbers_1_to_1000(string kind)
    {
        await using var db = await StorageBackend.CreateAsync(kind);
        await using var node = await NodeProcess.StartGatewayAsync(db.NodeEnvironment());
        using var http = node.CreateClient();
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        using var gate = new SemaphoreSlim(64);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 1000).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var response = await http.PostAsJsonAsync("/ingest", Envelope(Click("user-burst", "s-burst", at, "/shop", $"Item {i}")));
                return response.StatusCode;
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s));
        await ContextReader.WaitUntilAsync(async () => await db.CountAsync("enriched_event") == 1000, "1000 enriched rows", 30000);
        Assert.Equal(1000, await db.ScalarAsync("SELECT count(DISTINCT sequence_number) FROM enriched_event"));
        Assert.Equal(1, await db.ScalarAsync("SELECT min(sequence_number) FROM enriched_event"));
        Assert.Equal(1000, await db.ScalarAsync("SELECT max(sequence_number) FROM enriched_event"));
        var context = await ContextReader.GetAsync(http, "user-burst", 500);
        // Equal timestamps order by sequence number, so the latest 500 are exactly 501..1000.
        Assert.Equal(Enumerable.Range(501, 500), context.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("sequence_number").GetInt32()));
    }
}
