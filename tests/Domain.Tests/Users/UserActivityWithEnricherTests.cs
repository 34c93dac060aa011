using System.Text.Json;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Users;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Users;

/// <summary>UserActivity with the real enricher and the seeds' rules (the seed pack), on PostHog-shaped events.</summary>
public class UserActivityWithEnricherTests
{
    private static readonly InsightsOptions Seed = InsightsOptions.Default with { Rules = RulePacks.Load(RulePacks.Seed) };

    private const string User = "019aff19-86cb-7abd-b27e-5e3a34fc85f2";
    private const string Session = "019affef-35d2-7660-86dc-8e9873937f61";

    private static PostHogEvent Event(string name, double seconds, string path, string? chain = null, string extra = "", string? session = Session)
    {
        var sessionProp = session is null ? "" : $"\"$session_id\":\"{session}\",";
        using var doc = JsonDocument.Parse($$"""{ {{sessionProp}} "$pathname":"{{path}}","$current_url":"http://localhost:3000{{path}}","token":"t","distinct_id":"{{User}}" {{extra}} }""");
        return new PostHogEvent(Guid.NewGuid(), name, User, At(seconds), doc.RootElement.Clone(), chain);
    }

    private static string Button(string text) =>
        $"button.btn:attr__class=\"btn\"nth-child=\"1\"nth-of-type=\"1\"text=\"{text}\";div.card:nth-child=\"2\";body:nth-child=\"2\"";

    [Fact]
    public void A_shop_session_is_enriched_aggregated_and_matched_against_the_default_rules()
    {
        var user = new UserActivity(User, Seed);
        user.Apply(Event("$pageview", 0, "/products"), At(0));
        user.Apply(Event("$autocapture", 5, "/products", Button("Add to Cart"), ",\"$event_type\":\"click\""), At(5));
        var rage = user.Apply(Event("$rageclick", 9, "/products", Button("$1,299.00")), At(9));
        var custom = user.Apply(Event("product_clicked", 12, "/products", extra: ",\"product_name\":\"Phantom X Pro\""), At(12));

        Assert.Equal("Rage-clicked '$1,299.00' button", rage.Event.SemanticLabel);
        Assert.Equal(3, rage.Event.SequenceNumber);
        Assert.Equal("Selected product: Phantom X Pro", custom.Event.SemanticLabel);
        var row = custom.Session!;
        Assert.Equal((4, 1, 2), (row.EventCount, row.PageViewsCount, row.ClicksCount));
        Assert.Equal("Viewed 1 page including products page. Clicked 2 times. Rage-clicked 1 time (frustration detected). Triggered 1 custom event.", row.Summary);
        Assert.Equal(["cart_abandonment_with_items", "price_rage_click"], Codes(row.PatternsJson));

        // Checking out within the 15-minute window clears the abandonment.
        var checkout = user.Apply(Event("$autocapture", 60, "/cart", Button("Checkout"), ",\"$event_type\":\"click\""), At(60));
        Assert.Equal(["checkout_abandonment", "price_rage_click"], Codes(checkout.Session!.PatternsJson));
    }

    [Fact]
    public void The_integration_journey_gives_the_summary_and_patterns_it_expects()
    {
        // The same five events as Integration.Tests' journey, without processes or a database.
        var user = new UserActivity(User, Seed);
        user.Apply(Event("$pageview", 0, "/"), At(0));
        user.Apply(Event("$pageview", 10, "/products"), At(10));
        user.Apply(Event("$autocapture", 20, "/products", Button("Add to Cart"), ",\"$event_type\":\"click\""), At(20));
        user.Apply(Event("item_added_to_cart", 21, "/products"), At(21));
        user.Apply(Event("$pageview", 40, "/checkout"), At(40));

        var ctx = JsonDocument.Parse(user.RenderContext(20, null, At(60))).RootElement;

        Assert.Equal(
            ["Viewed home page", "Viewed products page", "Clicked 'Add to Cart' button", "Item added to cart", "Viewed checkout page"],
            ctx.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("semantic_label").GetString()));
        Assert.Equal(
            "Viewed 3 pages including home page, products page, checkout page. Clicked 1 time. Triggered 1 custom event.",
            ctx.GetProperty("last_session_summary").GetString());
        var codes = ctx.GetProperty("patterns").EnumerateArray().Select(p => p.GetProperty("code").GetString()).ToList();
        Assert.Contains("checkout_abandonment", codes);
        Assert.DoesNotContain("cart_abandonment_with_items", codes);
    }

    [Fact]
    public void The_context_carries_the_enricher_ids_and_context()
    {
        var user = new UserActivity(User, Seed);
        var raw = Event("$autocapture", 5, "/products", Button("Add to Cart"), ",\"$event_type\":\"click\",\"plan\":\"pro\"");
        user.Apply(raw, At(5));

        var e = JsonDocument.Parse(user.RenderContext(20, null, At(10))).RootElement.GetProperty("recent_events")[0];

        Assert.Equal(raw.Uuid, e.GetProperty("raw_event_id").GetGuid());
        Assert.Equal(EnrichedEventIds.FromRawEventId(raw.Uuid), e.GetProperty("enriched_event_id").GetGuid());
        Assert.Equal("Clicked 'Add to Cart' button", e.GetProperty("semantic_label").GetString());
        Assert.Equal("button", e.GetProperty("element_type").GetString());
        Assert.Equal("Add to Cart", e.GetProperty("element_text").GetString());
        Assert.Equal("pro", e.GetProperty("context").GetProperty("plan").GetString());
        Assert.Equal("$autocapture", e.GetProperty("context").GetProperty("posthog_event").GetString());
    }

    [Fact]
    public void An_event_without_session_id_is_enriched_as_part_of_the_active_session()
    {
        var user = new UserActivity(User, Seed);
        user.Apply(Event("$pageview", 0, "/"), At(0));

        var applied = user.Apply(Event("$pageleave", 30, "/", session: null), At(30));

        Assert.Equal(Session, applied.Event.SessionId);
        Assert.Equal("Left home page", applied.Event.SemanticLabel);
        Assert.Equal(2, applied.Session!.EventCount);
    }

    [Fact]
    public void Snapshot_and_stored_events_restore_a_user_that_continues_identically()
    {
        var options = InsightsOptions.Default;
        var reference = new UserActivity(User, options);
        var snapshotted = new UserActivity(User, options);
        var stored = new List<EnrichedEvent>();
        var events = new List<PostHogEvent>();
        for (var i = 0; i < 40; i++)
        {
            events.Add(i % 3 == 0
                ? Event("$pageview", i * 10, $"/products/p{i % 4}")
                : Event("$autocapture", i * 10 - (i % 7 == 0 ? 25 : 0), "/products", Button(i % 2 == 0 ? "Add to Cart" : "Racing"), ",\"$event_type\":\"click\""));
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (i == 25)
            {
                snapshotted = UserActivity.FromSnapshot(User, snapshotted.ToSnapshot(), stored.OrderBy(e => e.Timestamp).ThenBy(e => e.SequenceNumber).ToList(), options);
            }
            var expected = reference.Apply(events[i], At(i * 10));
            var actual = snapshotted.Apply(events[i], At(i * 10));
            stored.Add(actual.Event);
            Assert.Equal(expected.Session, actual.Session);
            Assert.Equal(expected.Event.SequenceNumber, actual.Event.SequenceNumber);
        }
        Assert.Equal(reference.RenderContext(50, null, At(500)), snapshotted.RenderContext(50, null, At(500)));
    }

    private static List<string> Codes(string patternsJson) =>
        JsonDocument.Parse(patternsJson).RootElement.EnumerateArray().Select(p => p.GetProperty("code").GetString()!).ToList();
}
