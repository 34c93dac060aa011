using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests;

/// <summary>
/// Grains in other processes: two silo processes and a gateway that hosts no grains (an Orleans
/// client), so every call crosses the wire through the Orleans serializer.
/// </summary>
public sealed class ClusterSmokeTests
{
    [Fact]
    public async Task Gateway_without_grains_reaches_grains_on_two_silos()
    {
        await using var db = await StorageBackend.CreateAsync("postgres");
        Dictionary<string, string?> Node(bool gateway)
        {
            var env = db.NodeEnvironment();
            if (gateway)
            {
                env["Gateway__HostsSilo"] = "false";
            }
            return env;
        }

        await using var silo1 = await NodeProcess.StartSiloAsync(Node(gateway: false));
        await using var silo2 = await NodeProcess.StartSiloAsync(Node(gateway: false));
        await using var gateway = await NodeProcess.StartGatewayAsync(Node(gateway: true));
        using var http = gateway.CreateClient();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-1);

        for (var u = 0; u < 6; u++)
        {
            var user = $"cluster-user-{u}";
            Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/ingest", Envelope(Pageview(user, $"s-{u}", t0, "/pricing")))).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync("/ingest", Envelope(Click(user, $"s-{u}", t0.AddSeconds(1), "/pricing", "Upgrade to Pro")))).StatusCode);
        }

        for (var u = 0; u < 6; u++)
        {
            var context = await ContextReader.WaitForAsync(http, $"cluster-user-{u}", c => ContextReader.EventCount(c) == 2, timeoutMs: 60000);
            Assert.Equal(["Viewed pricing page", "Clicked 'Upgrade to Pro' button"], ContextReader.Labels(context));
        }
        // The session grain hears of its session through a one-way update from the user grain, which
        // may arrive a moment after the context shows the events: wait for it, then check the view.
        JsonElement session = default;
        await ContextReader.WaitUntilAsync(async () =>
        {
            var response = await http.GetAsync("/session/s-0");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }
            session = await response.Content.ReadFromJsonAsync<JsonElement>();
            return session.GetProperty("session").GetProperty("event_count").GetInt32() == 2;
        }, "session s-0 with its 2 events", timeoutMs: 60000);
        Assert.Equal("cluster-user-0", session.GetProperty("session").GetProperty("user_id").GetString());
        Assert.Equal(2, session.GetProperty("events").GetArrayLength());
        var health = await http.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal(0, health.GetProperty("grains").GetProperty("active_users").GetInt64());
    }
}
