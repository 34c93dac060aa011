using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Sessions;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Sessions;

public class SessionSummaryTests
{
    private static string Summary(IEnumerable<EnrichedEvent> events)
    {
        var s = new SessionAggregate("s1", "u1");
        foreach (var e in events)
        {
            s.Apply(e, e.Timestamp);
        }
        return SessionSummary.Build(s);
    }

    [Fact]
    public void Joins_all_parts_in_spec_order_with_plurals()
    {
        var summary = Summary(
        [
            PageView("/", At(0), "Home"),
            PageView("/shop", At(1), "Shop"),
            Click("Clicked 'a'", At(2)),
            RageClick("Rage-clicked 'b'", At(3)),
            Custom("Item added to cart", At(4)),
            Custom("Checkout started", At(5)),
            PageView("/cart", At(6), "Cart"),
        ]);

        Assert.Equal(
            "Viewed 3 pages including Home, Shop, Cart. Clicked 2 times. Rage-clicked 1 time (frustration detected). Triggered 2 custom events.",
            summary);
    }

    [Fact]
    public void Uses_the_singular_for_counts_of_one()
    {
        var summary = Summary([PageView("/", At(0), "Home"), Click("c", At(1)), Custom("x", At(2))]);
        Assert.Equal("Viewed 1 page including Home. Clicked 1 time. Triggered 1 custom event.", summary);
    }

    [Fact]
    public void Rage_clicks_in_plural()
    {
        var summary = Summary([RageClick("r", At(0)), RageClick("r", At(1))]);
        Assert.Equal("Clicked 2 times. Rage-clicked 2 times (frustration detected).", summary);
    }

    [Fact]
    public void Lists_at_most_three_distinct_titles_in_first_seen_order()
    {
        var summary = Summary(
        [
            PageView("/a", At(0), "A"),
            PageView("/a", At(1), "A"),
            PageView("/b", At(2), "B"),
            PageView("/a", At(3), "A"),
            PageView("/c", At(4), "C"),
            PageView("/d", At(5), "D"),
        ]);
        Assert.Equal("Viewed 6 pages including A, B, C.", summary);
    }

    [Fact]
    public void Title_order_follows_timestamps_when_events_arrive_out_of_order()
    {
        var summary = Summary(
        [
            PageView("/c", At(30), "C"),
            PageView("/b", At(20), "B"),
            PageView("/d", At(40), "D"),
            PageView("/a", At(10), "A"), // arrives last but was seen first: displaces D
            PageView("/c", At(5), "C"), // an earlier view of C moves it to the front
        ]);
        Assert.Equal("Viewed 5 pages including C, A, B.", summary);
    }

    [Fact]
    public void Titles_only_come_from_page_views()
    {
        var summary = Summary([Click("c", At(0), "/x"), PageView("/y", At(1), "Y")]);
        Assert.Equal("Viewed 1 page including Y. Clicked 1 time.", summary);
    }

    [Fact]
    public void Summary_and_titles_do_not_depend_on_arrival_order()
    {
        var titles = new[] { "A", "B", "C", "D", "E" };
        var rng = new Random(7);
        var events = new List<EnrichedEvent>();
        for (var i = 0; i < 40; i++)
        {
            events.Add(rng.Next(3) == 0
                ? Click("c", At(rng.Next(600)))
                : PageView("/p", At(rng.Next(600)), titles[rng.Next(titles.Length)]));
        }
        // Brute force: distinct titles ordered by the earliest view (ties: arrival order).
        var expectedTitles = events
            .Select((e, i) => (e, i))
            .Where(x => x.e.EventType == "pageview")
            .GroupBy(x => x.e.PageTitle)
            .Select(g => g.MinBy(x => (x.e.Timestamp, x.i)))
            .OrderBy(x => (x.e.Timestamp, x.i))
            .Take(3)
            .Select(x => x.e.PageTitle);
        var pageViews = events.Count(e => e.EventType == "pageview");
        var clicks = events.Count - pageViews;
        var expected = $"Viewed {pageViews} pages including {string.Join(", ", expectedTitles)}. Clicked {clicks} times.";

        Assert.Equal(expected, Summary(events));
        for (var round = 0; round < 20; round++)
        {
            var shuffled = events.OrderBy(_ => rng.Next()).ToList();
            // Give equal timestamps distinct ones so that the arrival-order tie-break cannot differ.
            Assert.Equal(Summary(WithoutTies(events)), Summary(WithoutTies(shuffled).OrderBy(_ => rng.Next())));
        }
    }

    private static IEnumerable<EnrichedEvent> WithoutTies(IEnumerable<EnrichedEvent> events) =>
        events.Select(e => e with { Timestamp = e.Timestamp.AddTicks(e.EnrichedEventId.GetHashCode() & 0xFFFF) });

    [Fact]
    public void No_significant_activity_when_nothing_counted()
    {
        Assert.Equal("No significant activity.", Summary([Leave(At(0)), Make("Event on home page", At(1), "unknown", "unknown")]));
    }

    [Fact]
    public void No_activity_recorded_without_events()
    {
        Assert.Equal("No activity recorded", SessionSummary.Build(new SessionAggregate("s", "u")));
    }
}
