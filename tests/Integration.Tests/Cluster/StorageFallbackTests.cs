using System.Net;
using System.Net.Http.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Cluster;

/// <summary>
/// With no silo up, the gateway still takes events and answers context reads from storage
/// (snapshot + PENDING raw events): the same document the grain would give, flagged as such.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StorageFallbackTests
{
    [Fact]
    public async Task Reads_without_any_silo_come_from_storage_and_match_the_grain()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        await using var cluster = await SiloCluster.StartAsync(db, silos: 1);
        using var http = cluster.Gateway.CreateClient();
        const string user = "fallback-user";
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        await PostAsync(http, Pageview(user, "s-1", t0, "/pricing"));
        await PostAsync(http, Click(user, "s-1", t0.AddSeconds(1), "/pricing", "Upgrade to Pro"));
        await PostAsync(http, Rage(user, "s-1", t0.AddSeconds(2), "/pricing", "Upgrade to Pro"));
        var fromGrain = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 3);
        var grainBody = await ReadAsync(http, user, "grain");
        // A user with earlier sessions: previous_sessions render alike from the grain and from storage.
        const string returning = "fallback-returning";
        for (var i = 1; i <= 3; i++)
        {
            await PostAsync(http, Pageview(returning, $"r-{i}", t0.AddDays(i - 4), $"/visit-{i}"));
        }
        await ContextReader.WaitForAsync(http, returning, c => ContextReader.EventCount(c) == 3);
        var returningBody = await ReadAsync(http, returning, "grain", "?previous_sessions=10");
        Assert.Equal(["r-2", "r-1"], System.Text.Json.JsonDocument.Parse(returningBody).RootElement.GetProperty("previous_sessions").EnumerateArray().Select(s => s.GetProperty("session_id").GetString()));

        await cluster.StopSiloAsync(0);
        // Committed state only: the storage rendering must be the grain's document, byte for byte.
        Assert.Equal(grainBody, await ReadAsync(http, user, "storage"));
        Assert.Equal(returningBody, await ReadAsync(http, returning, "storage", "?previous_sessions=10"));

        // Acknowledged while no grain can apply them: PENDING rows, shown by the storage rendering.
        await PostAsync(http, Pageview(user, "s-1", t0.AddSeconds(3), "/billing"));
        await PostAsync(http, Custom("checkout_started", user, "s-1", t0.AddSeconds(4), "/billing"));
        var pendingBody = await ReadAsync(http, user, "storage");
        var pending = System.Text.Json.JsonDocument.Parse(pendingBody).RootElement;
        Assert.Equal(
            ["Viewed pricing page", "Clicked 'Upgrade to Pro' button", "Rage-clicked 'Upgrade to Pro' button", "Viewed billing page", "Checkout started"],
            ContextReader.Labels(pending));
        Assert.Equal([1, 2, 3, 4, 5], pending.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("sequence_number").GetInt32()));

        // A silo comes back: the grain replays the PENDING rows once and serves the same document.
        await cluster.StartSiloAsync(0);
        await ReadAsync(http, user, "grain");
        var back = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 5);
        Assert.Equal(ContextReader.Labels(pending), ContextReader.Labels(back));
        Assert.Equal(pendingBody, await ReadAsync(http, user, "grain"));
        Assert.Equal(3, ContextReader.EventCount(fromGrain));
    }

    private static async Task PostAsync(HttpClient http, System.Text.Json.Nodes.JsonObject evt) =>
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/ingest", Envelope(evt))).StatusCode);

    /// <summary>
    /// A context read answered by <paramref name="expectedSource"/>. With no silo up it can only be
    /// storage. A grain read is retried: on a loaded machine one read can miss the 2 s fallback and
    /// come from storage, which says nothing about the grain's document.
    /// </summary>
    private static async Task<string> ReadAsync(HttpClient http, string user, string expectedSource, string query = "")
    {
        var body = "";
        var source = "";
        await ContextReader.WaitUntilAsync(async () =>
        {
            using var response = await http.GetAsync($"/session/context/{user}{query}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            source = response.Headers.GetValues("X-Context-Source").Single();
            body = await response.Content.ReadAsStringAsync();
            return source == expectedSource || expectedSource == "storage";
        }, () => $"a context read from {expectedSource} (last from {source})");
        Assert.Equal(expectedSource, source);
        return ContextReader.WithoutGeneratedAt(body);
    }
}
