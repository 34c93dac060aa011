using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SessionInsights.Domain.Patterns;
using SessionInsights.Integration.Tests.Infrastructure;
using SessionInsights.Tests.Shared;

namespace SessionInsights.Integration.Tests.Api;

/// <summary>
/// The seeds' 25 rules (the <c>seed</c> pack, which the test nodes run) through the running service: every journey and every near miss of
/// <see cref="ShippedRuleJourneys"/> as its own user in one PostHog batch, then each user's context
/// must show the rule (journey) or not show it (near miss).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ShippedRulesOverHttpTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Every_shipped_rule_fires_on_its_journey_and_not_on_its_near_miss()
    {
        // The gateway runs the seed pack (NodeProcess); a rule without a journey would go unchecked.
        Assert.Equal(
            RulePacks.Load(RulePacks.Seed).Rules.Select(r => r.Code).Order(),
            ShippedRuleJourneys.All.Select(j => j.Code).Order());
        using var http = gateway.Node.CreateClient();
        var t0 = DateTimeOffset.UtcNow.AddHours(-1);
        var users = ShippedRuleJourneys.All
            .SelectMany(j => new[] { (User: $"rule-{j.Code}-fires", Journey: j, Fires: true), (User: $"rule-{j.Code}-near-miss", Journey: j, Fires: false) })
            .ToList();
        var batch = new JsonArray();
        foreach (var (user, journey, fires) in users)
        {
            foreach (var step in fires ? journey.Fires : journey.NearMiss)
            {
                batch.Add(Event(user, t0, step));
            }
        }

        var response = await http.PostAsJsonAsync("/batch", new JsonObject { ["api_key"] = "phc_rules", ["batch"] = batch });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var wrong = new List<string>();
        foreach (var (user, journey, fires) in users)
        {
            var steps = fires ? journey.Fires : journey.NearMiss;
            // All of the user's events applied: its patterns are final.
            var context = await ContextReader.WaitForAsync(http, user, c => ContextReader.EventCount(c) == steps.Count, limit: 100, timeoutMs: 60_000);
            var patterns = ContextReader.PatternCodes(context);
            if (patterns.Contains(journey.Code) != fires)
            {
                wrong.Add($"{user}: {journey.Code} {(fires ? "did not fire" : $"fired on {journey.NearMissIs}")}; labels: {string.Join(" | ", ContextReader.Labels(context))}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private static JsonObject Event(string user, DateTimeOffset t0, JourneyStep step)
    {
        var properties = new JsonObject { ["$session_id"] = $"s-{user}", ["$pathname"] = step.Path };
        foreach (var (key, value) in step.Properties ?? new Dictionary<string, string>())
        {
            properties[key] = value;
        }
        return new JsonObject
        {
            ["uuid"] = Guid.CreateVersion7().ToString(),
            ["event"] = step.Event,
            ["distinct_id"] = user,
            ["timestamp"] = t0.AddTicks((long)Math.Round(step.At * TimeSpan.TicksPerSecond)).ToString("O"),
            ["properties"] = properties,
            ["elements_chain"] = step.ElementsChain,
        };
    }
}
