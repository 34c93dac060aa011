using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionInsights.Integration.Tests.Infrastructure;
using static SessionInsights.Integration.Tests.Infrastructure.TestEvents;

namespace SessionInsights.Integration.Tests.Api;

/// <summary>
/// <c>Insights__RulePack=saas</c> on a real gateway, with the journey: a customer who paid and
/// then rage-clicked the pay button, and one who has not paid yet, read the way a support bot reads
/// them (all patterns with their status, then <c>?patterns=confirmed</c>).
/// </summary>
public sealed class RulePacksOverHttpTests
{
    [Fact]
    public async Task The_saas_pack_reports_what_a_bot_should_see_and_confirmed_only_leaves_pending_out()
    {
        await using var db = await StorageBackend.CreateAsync("sqlite");
        var env = db.NodeEnvironment();
        env["Insights__RulePack"] = "saas";
        await using var node = await NodeProcess.StartGatewayAsync(env);
        using var http = node.CreateClient();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        var batch = new JsonArray(
            Pageview("paid", "s-paid", t0, "/pricing"),
            Click("paid", "s-paid", t0.AddSeconds(20), "/pricing", "Upgrade to Pro"),
            Pageview("paid", "s-paid", t0.AddSeconds(30), "/checkout"),
            Custom("payment_succeeded", "paid", "s-paid", t0.AddSeconds(90), "/checkout"),
            Rage("paid", "s-paid", t0.AddSeconds(100), "/checkout", "Pay $49.00"),
            Pageview("unpaid", "s-unpaid", t0, "/pricing"),
            Click("unpaid", "s-unpaid", t0.AddSeconds(20), "/pricing", "Upgrade to Pro"),
            Pageview("unpaid", "s-unpaid", t0.AddSeconds(30), "/checkout"));

        var response = await http.PostAsync("/batch", new StringContent(new JsonObject { ["api_key"] = "phc_packs", ["batch"] = batch }.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paid = await ContextReader.WaitForAsync(http, "paid", c => ContextReader.EventCount(c) == 5);
        Assert.Equal([("payment_button_rage_click", "confirmed")], Statuses(paid));

        var unpaid = await ContextReader.WaitForAsync(http, "unpaid", c => ContextReader.EventCount(c) == 3);
        Assert.Equal([("upgrade_abandonment", "pending"), ("checkout_abandonment", "pending")], Statuses(unpaid));
        var confirmedOnly = JsonDocument.Parse(await http.GetStringAsync("/session/context/unpaid?patterns=confirmed")).RootElement;
        Assert.Equal(3, ContextReader.EventCount(confirmedOnly));
        Assert.Empty(Statuses(confirmedOnly));
        var all = JsonDocument.Parse(await http.GetStringAsync("/session/context/unpaid?patterns=all")).RootElement;
        Assert.Equal(2, Statuses(all).Count);
    }

    private static List<(string Code, string Status)> Statuses(JsonElement context) =>
        [.. context.GetProperty("patterns").EnumerateArray().Select(p => (p.GetProperty("code").GetString()!, p.GetProperty("status").GetString()!))];
}
