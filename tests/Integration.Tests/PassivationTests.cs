using System.Net.Http.Json;
using System.Text.Json;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests;

/// <summary>A grain that leaves memory comes back from storage with the same context.</summary>
public sealed class PassivationTests
{
    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Passivated_grain_reactivates_with_the_same_context(string kind)
    {
        await using var db = await StorageBackend.CreateAsync(kind);
        var env = db.NodeEnvironment();
        env["Grains__PassivateAfter"] = "00:00:01";
        // One node, so the grain always answers; a loaded machine must not turn the read that
        // reactivates it into a storage read after the default 2 s.
        env["Grains__ContextFallbackAfter"] = "00:01:00";
        await using var node = await NodeProcess.StartGatewayAsync(env);
        using var http = node.CreateClient();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-2);
        const string user = "user-passivate";
        for (var i = 0; i < 6; i++)
        {
            var e = i % 2 == 0 ? Pageview(user, "s-p", t0.AddSeconds(i), $"/page-{i}") : Rage(user, "s-p", t0.AddSeconds(i), "/cart", "+");
            (await http.PostAsJsonAsync("/ingest", Envelope(e))).EnsureSuccessStatusCode();
        }
        var before = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == 6);

        await ContextReader.WaitUntilAsync(async () => (await Health(http)).GetProperty("grains").GetProperty("active_users").GetInt64() == 0, "the user grain to passivate");
        var activations = (await Health(http)).GetProperty("grains").GetProperty("user_activations").GetInt64();
        using var read = await http.GetAsync($"/session/context/{user}");
        Assert.Equal("grain", read.Headers.GetValues("X-Context-Source").Single());
        var after = JsonDocument.Parse(await read.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(activations + 1, (await Health(http)).GetProperty("grains").GetProperty("user_activations").GetInt64());
        Assert.Equal(ContextReader.WithoutGeneratedAt(before.ToString()), ContextReader.WithoutGeneratedAt(after.ToString()));
        Assert.Contains("cart_quantity_struggle", ContextReader.PatternCodes(after));
    }

    private static async Task<JsonElement> Health(HttpClient http) => await http.GetFromJsonAsync<JsonElement>("/health");
}
