using System.Text.Json;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;
using static SessionInsights.Domain.Tests.Enrichment.TestEvents;

namespace SessionInsights.Domain.Tests.Enrichment;

public class EventEnricherTests
{
    private static readonly EventEnricher Enricher = new(EnrichmentOptions.Default);

    [Fact]
    public void EnrichedEventId_IsDeterministicPerRawUuid()
    {
        var raw = Guid.Parse("0193a8f2-5c1e-7d3a-9b2f-4e6c8a1d2f3b");

        var first = Enricher.Enrich(Make("$pageview", uuid: raw), "s-1");
        var replay = new EventEnricher(EnrichmentOptions.Default).Enrich(Make("$pageview", uuid: raw), "s-2");
        var other = Enricher.Enrich(Make("$pageview", uuid: Guid.Parse("0193a8f2-5c1e-7d3a-9b2f-4e6c8a1d2f3c")), "s-1");

        Assert.Equal(first.EnrichedEventId, replay.EnrichedEventId);
        Assert.NotEqual(first.EnrichedEventId, other.EnrichedEventId);
        Assert.NotEqual(raw, first.EnrichedEventId);
        Assert.Equal(raw, first.RawEventId);
    }

    [Fact]
    public void EnrichedEventId_IsAVersion8Uuid_PinnedForever()
    {
        var id = EnrichedEventIds.FromRawEventId(Guid.Parse("0193a8f2-5c1e-7d3a-9b2f-4e6c8a1d2f3b"));

        Assert.Equal(8, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        // Computed independently (XOR mask, then version/variant bits): stored ids depend on it never changing.
        Assert.Equal(Guid.Parse("5fc6b8e3-464f-8340-8732-ae8d4ef02f3a"), id);
    }

    [Fact]
    public void EnrichedEventIds_OfDistinctVersion7Uuids_AreDistinct()
    {
        var raw = Enumerable.Range(0, 10_000).Select(_ => Guid.CreateVersion7()).ToHashSet();

        Assert.Equal(raw.Count, raw.Select(EnrichedEventIds.FromRawEventId).Distinct().Count());
    }

    [Fact]
    public void SessionIdIsTheArgument_AndSequenceNumberIsZero()
    {
        var e = Make("$pageview", """{"$session_id":"from-properties"}""");

        Assert.Equal("chosen-session", Enricher.Enrich(e, "chosen-session").SessionId);
        Assert.Null(Enricher.Enrich(e, null).SessionId);
        Assert.Equal(0, Enricher.Enrich(e, "chosen-session").SequenceNumber);
    }

    [Fact]
    public void AllFields_AreFilled()
    {
        var e = Make("$autocapture", """{"$event_type":"click","$pathname":"/shop/","plan":"pro"}""", RealChains.AboutNavButton);

        var enriched = Enricher.Enrich(e, "s-1");

        Assert.Equal("user-1", enriched.UserId);
        Assert.Equal("$autocapture", enriched.EventName);
        Assert.Equal("click", enriched.EventType);
        Assert.Equal("click", enriched.ActionType);
        Assert.Equal("Clicked 'About' navigation button", enriched.SemanticLabel);
        Assert.Equal(At, enriched.Timestamp);
        Assert.Equal("/shop", enriched.PagePath);
        Assert.Equal("shop page", enriched.PageTitle);
        Assert.Equal("button", enriched.ElementType);
        Assert.Equal("About", enriched.ElementText);
        Assert.Equal("pro", enriched.Context.ToJsonElement().GetProperty("plan").GetString());
    }

    [Fact]
    public void WireStrings_AreSharedConstants()
    {
        var a = Enricher.Enrich(Make("$rageclick"), null);
        var b = Enricher.Enrich(Make("$rageclick"), null);

        Assert.Same(a.EventType, b.EventType);
        Assert.Same(a.ActionType, b.ActionType);
        Assert.Same(ActionTypes.RageClick, a.ActionType);
    }

    [Fact]
    public void EnrichingConcurrently_GivesTheSameResultsAsOneByOne()
    {
        var events = Enumerable.Range(0, 200)
            .Select(i => Make(i % 2 == 0 ? "$autocapture" : "item_added_to_cart", $$"""{"n":{{i}}}""", RealChains.AboutNavButton))
            .ToArray();
        var expected = events.Select(e => Enricher.Enrich(e, "s").Context.ToString()).ToArray();

        var actual = new string[events.Length];
        Parallel.For(0, events.Length, i => actual[i] = Enricher.Enrich(events[i], "s").Context.ToString());

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void RealShopSample_ParsesAndEnrichesAsExpected()
    {
        using var doc = JsonDocument.Parse(ShopSample.Events);
        var labels = new List<string>();
        foreach (var element in doc.RootElement.EnumerateArray())
        {
            Assert.True(PostHogEventParser.TryParse(EventEnvelope.Unwrap(element), out var e, out var error), error?.ToString());
            var enriched = Enricher.Enrich(e!, e!.SessionId);
            Assert.NotNull(enriched.SessionId);
            Assert.Equal(e.SessionId, enriched.SessionId);
            labels.Add($"{enriched.EventType}/{enriched.ActionType}: {enriched.SemanticLabel}");
        }

        Assert.Equal(
        [
            "navigation/leave: Left home page",
            "pageview/view: Viewed home page",
            "click/click: Clicked 'About' navigation button",
            "click/dead_click: Clicked '2products available' p (no response)",
            "custom/click: Filter changed",
            "click/rage_click: Rage-clicked svg on home page",
            "custom/click: Product clicked",
            "click/submit: Clicked form on home page",
        ], labels);
    }
}
