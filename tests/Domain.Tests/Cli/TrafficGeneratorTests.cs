using System.Text.Json;
using SessionInsights.Cli.Load;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Tests.Cli;

public class TrafficGeneratorTests
{
    private static readonly DateTimeOffset Now = new(2025, 12, 9, 10, 30, 0, TimeSpan.Zero);

    private static List<GeneratedEvent> Generate(int count, int users = 20, int sessionsPerUser = 3, int seed = 42)
    {
        var n = 0;
        var generator = new TrafficGenerator(users, sessionsPerUser, seed, newUuid: () => new Guid(0, 0, 0, BitConverter.GetBytes((long)++n)));
        return [.. Enumerable.Range(0, count).Select(_ => generator.Next(Now))];
    }

    [Fact]
    public void SameSeed_SameTraffic()
    {
        var first = Generate(500);
        var second = Generate(500);

        Assert.Equal(first.Select(e => e.Body), second.Select(e => e.Body));
    }

    [Fact]
    public void OtherSeed_OtherTraffic()
    {
        Assert.NotEqual(Generate(100, seed: 1).Select(e => e.Body), Generate(100, seed: 2).Select(e => e.Body));
    }

    [Fact]
    public void FreshUuidPerEvent_ByDefault()
    {
        var generator = new TrafficGenerator(5, 1, seed: 1);

        var uuids = Enumerable.Range(0, 200).Select(_ => generator.Next(Now).Uuid).ToList();

        Assert.Equal(uuids.Count, uuids.Distinct().Count());
    }

    [Fact]
    public void EveryEvent_IsAValidEnvelope_WithSessionAndPath()
    {
        foreach (var e in Generate(2000))
        {
            using var doc = JsonDocument.Parse(e.Body);
            Assert.True(doc.RootElement.TryGetProperty("event", out _), "envelope {\"event\": …}");
            Assert.True(PostHogEventParser.TryParse(EventEnvelope.Unwrap(doc.RootElement), out var evt, out var error), error?.ToString());
            Assert.Equal(e.Uuid, evt!.Uuid);
            Assert.Equal(e.UserId, evt.DistinctId);
            Assert.Equal(Now, evt.Timestamp);
            Assert.Equal(e.SessionId, evt.SessionId);
            Assert.StartsWith("/", evt.Properties.GetProperty("$pathname").GetString());
        }
    }

    [Fact]
    public void Traffic_HasTheShopsEventMix()
    {
        var names = Generate(3000).Select(e => e.Name).ToHashSet();

        Assert.Superset(
            new HashSet<string> { "$pageview", "$autocapture", "$rageclick", "$pageleave", "product_clicked", "item_added_to_cart", "filter_changed" },
            names);
    }

    [Fact]
    public void EachUser_GoesThroughSeveralSessions()
    {
        var sessionsPerUser = Generate(4000, users: 10, sessionsPerUser: 3)
            .GroupBy(e => e.UserId)
            .Select(g => g.Select(e => e.SessionId).Distinct().Count());

        Assert.All(sessionsPerUser, n => Assert.Equal(3, n));
    }

    [Fact]
    public void Chains_ParseToTheIntendedElements()
    {
        var enricher = new EventEnricher(EnrichmentOptions.Default);
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in Generate(3000).Where(e => e.Name is "$autocapture" or "$rageclick"))
        {
            using var doc = JsonDocument.Parse(e.Body);
            PostHogEventParser.TryParse(EventEnvelope.Unwrap(doc.RootElement), out var evt, out _);
            var chain = ElementsChainParser.Parse(evt!.ElementsChain);
            Assert.NotNull(chain.ElementType);
            labels.Add(enricher.Enrich(evt, evt.SessionId).SemanticLabel);
        }

        Assert.Contains("Clicked 'Add to Cart' product card", labels);
        Assert.Contains("Clicked 'Shop' navigation button", labels);
        Assert.Contains("Clicked 'Place Order' button in form", labels);
        Assert.Contains(labels, l => l.StartsWith("Rage-clicked '$", StringComparison.Ordinal) && l.EndsWith("' span", StringComparison.Ordinal));
    }

    [Fact]
    public void Prices_AreShownTheWayTheShopShowsThem()
    {
        Assert.Equal("$1,299.00", ShopCatalog.Products.Single(p => p.Name == "Phantom X Pro").PriceText);
        Assert.Equal("$89.00", ShopCatalog.Products.Single(p => p.Name == "Nimbus Mini").PriceText);
    }
}
