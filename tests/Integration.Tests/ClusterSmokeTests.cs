using System.Net;
using System.Net.Http.Json;
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
            var context = await ContextReader.WaitForAsync(http, $"cluster-user-{u}", c => ContextReader.EventCount(c) == 2, timeoutMs: 30000);
            Assert.Equal(["Viewed pricing page", "Clicked 'Upgrade to Pro' button"], ContextReader.Labels(context));
        }
        var session = await http.GetAsync("/session/s-0");
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        var health = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/health");
        Assert.Equal(0, health.GetProperty("grains").GetProperty("active_users").GetInt64());
    }
}
