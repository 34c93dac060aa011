using System.Net.Http.Json;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Api;

/// <summary>GET /session/stream/{user_id} over real HTTP with a real SSE client: order, statuses, resume, reset, 400s.</summary>
[Collection(ApiCollection.Name)]
public sealed class LiveStreamTests(GatewayFixture gateway)
{
    private static JsonElement Data(SseEvent e) => JsonDocument.Parse(e.Data).RootElement;

    [Fact]
    public async Task Events_then_the_pattern_they_fire_pending_then_its_confirmation_arrive_in_order()
    {
        var user = $"stream-{Guid.NewGuid():N}";
        using var http = gateway.Node.CreateClient();
        await using var stream = await SseStream.OpenAsync(gateway.Node.BaseAddress!, $"/session/stream/{user}");
        // The seed rule cart_abandonment_with_items has a 15-minute window from the add-to-cart's time:
        // dated 14:57 ago, it is pending for about 3 s, then the grain's timer confirms it.
        var now = DateTimeOffset.UtcNow;
        Guid view = Guid.NewGuid(), add = Guid.NewGuid();
        await PostAsync(http, Pageview(user, $"s-{user}", now.AddSeconds(-900), "/products", view));
        await PostAsync(http, Click(user, $"s-{user}", now.AddSeconds(-897), "/products", "Add to Cart", add));

        var events = await stream.WaitForAsync(e => e.Any(x => x.Type == "pattern_confirmed"), "the pattern's confirmation");

        Assert.Equal(["event", "event", "pattern", "pattern_confirmed"], events.Select(e => e.Type));
        Assert.Equal([view, add], events.Take(2).Select(e => Data(e).GetProperty("raw_event_id").GetGuid()));
        Assert.Equal("Clicked 'Add to Cart' button", Data(events[1]).GetProperty("semantic_label").GetString());
        var fired = Data(events[2]);
        Assert.Equal(("cart_abandonment_with_items", "pending", "HIGH"), (fired.GetProperty("code").GetString(), fired.GetProperty("status").GetString(), fired.GetProperty("severity").GetString()));
        Assert.Equal(add, fired.GetProperty("raw_event_id").GetGuid());
        Assert.Equal($"s-{user}", fired.GetProperty("session_id").GetString());
        Assert.EndsWith("Z", fired.GetProperty("confirms_at").GetString());
        var confirmed = Data(events[3]);
        Assert.Equal(("cart_abandonment_with_items", "confirmed"), (confirmed.GetProperty("code").GetString(), confirmed.GetProperty("status").GetString()));
        // Ids: the raw log's sequence number, the pattern's after it.
        Assert.True(long.Parse(events[1].Id!) > long.Parse(events[0].Id!));
        Assert.Equal($"{events[1].Id}:cart_abandonment_with_items", events[2].Id);
        Assert.Contains(stream.Comments, c => c.StartsWith("subscribed silo=", StringComparison.Ordinal));

        // A client that comes back with the first event's id gets exactly what followed it.
        await using var resumed = await SseStream.OpenAsync(gateway.Node.BaseAddress!, $"/session/stream/{user}", lastEventId: events[0].Id);
        var missed = await resumed.WaitForAsync(e => e.Count >= 3, "the resumed items");
        Assert.Equal(events.Skip(1).Select(e => (e.Id, e.Type, e.Data)), missed.Select(e => (e.Id, e.Type, e.Data)));

        // An id the grain no longer holds: one reset, then live items.
        await using var reset = await SseStream.OpenAsync(gateway.Node.BaseAddress!, $"/session/stream/{user}", lastEventId: "999999999");
        var told = await reset.WaitForAsync(e => e.Count >= 1, "the reset");
        Assert.Equal("reset", told[0].Type);
        Assert.Null(told[0].Id);
        Assert.Equal("last_event_id_unknown", Data(told[0]).GetProperty("reason").GetString());
        var later = Guid.NewGuid();
        await PostAsync(http, Pageview(user, $"s-{user}", DateTimeOffset.UtcNow, "/cart", later));
        var live = await reset.WaitForAsync(e => e.Count >= 2, "a live event after the reset");
        Assert.Equal(later, Data(live[1]).GetProperty("raw_event_id").GetGuid());
        await stream.WaitForAsync(e => e.Count >= 5, "the later event on the first stream");
        Assert.Equal(5, stream.Events.Count);
    }

    [Fact]
    public async Task Bad_ids_are_400_problems_naming_the_field()
    {
        using var http = gateway.Node.CreateClient();

        await ProblemAssert.ProblemAsync(await http.GetAsync($"/session/stream/{new string('u', 201)}"), 400, "user_id", "a 201-character user id");
        await ProblemAssert.ProblemAsync(await http.GetAsync($"/session/stream/u1?last_event_id={new string('9', 513)}"), 400, "last_event_id", "a 513-character last_event_id");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/session/stream/u1");
        request.Headers.TryAddWithoutValidation("Last-Event-ID", new string('9', 600));
        await ProblemAssert.ProblemAsync(await http.SendAsync(request), 400, "Last-Event-ID", "a 600-character Last-Event-ID header");
    }

    private static async Task PostAsync(HttpClient http, System.Text.Json.Nodes.JsonObject evt)
    {
        var response = await http.PostAsJsonAsync("/ingest", Envelope(evt));
        Assert.True(response.IsSuccessStatusCode, $"ingest: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
