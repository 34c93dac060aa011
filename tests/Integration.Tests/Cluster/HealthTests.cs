using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Cluster;

/// <summary>
/// <c>/health</c> says whether the node can serve: a gateway whose only silo crashed cannot apply
/// events or answer from a grain, and must say so (503) until a silo is back (200).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HealthTests
{
    [Fact]
    public async Task Health_is_503_while_no_silo_serves_and_200_again_once_one_does()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        await using var cluster = await SiloCluster.StartAsync(db, silos: 1);
        using var http = cluster.Gateway.CreateClient();
        var (status, health) = await HealthAsync(http);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(1, health.GetProperty("active_silos").GetInt32());
        Assert.Equal(["gateway"], health.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        await cluster.KillSiloAsync(0);

        await WaitForHealthAsync(http, HttpStatusCode.ServiceUnavailable, h =>
            h.GetProperty("status").GetString() == "unavailable" && h.GetProperty("active_silos").GetInt32() == 0);

        await cluster.StartSiloAsync(0);

        await WaitForHealthAsync(http, HttpStatusCode.OK, h => h.GetProperty("active_silos").GetInt32() == 1);
        // Healthy again means serving: an event goes through a grain to the context.
        var ingest = await http.PostAsJsonAsync("/ingest", Envelope(Pageview("user-health", "s-health", DateTimeOffset.UtcNow.AddMinutes(-1), "/pricing")));
        Assert.Equal(HttpStatusCode.Accepted, ingest.StatusCode);
        await ContextReader.WaitForAsync(http, "user-health", c => ContextReader.EventCount(c) == 1, timeoutMs: 60000);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> HealthAsync(HttpClient http)
    {
        var response = await http.GetAsync("/health");
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task WaitForHealthAsync(HttpClient http, HttpStatusCode want, Func<JsonElement, bool> body)
    {
        (HttpStatusCode Status, JsonElement Body) last = default;
        await ContextReader.WaitUntilAsync(async () =>
        {
            last = await HealthAsync(http);
            return last.Status == want && body(last.Body);
        }, () => $"/health {(int)want}; last: {(int)last.Status} {last.Body}", 90000);
    }
}
