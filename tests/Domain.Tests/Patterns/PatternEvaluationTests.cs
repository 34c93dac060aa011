using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Tests.Support;
using static SessionInsights.Domain.Tests.Support.Ev;
using static SessionInsights.Domain.Tests.Support.PatternRun;

namespace SessionInsights.Domain.Tests.Patterns;

public class PatternEvaluationTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void Event_type_filter()
    {
        const string rule = "\"filter\":{\"event_type\":\"pageview\"}";
        Assert.True(Matches(rule, PageView("/", At(0))));
        Assert.False(Matches(rule, Click("Viewed pageview", At(0))));
    }

    [Fact]
    public void Action_type_filter()
    {
        const string rule = "\"filter\":{\"action_type\":\"rage_click\"}";
        Assert.True(Matches(rule, RageClick("x", At(0))));
        Assert.False(Matches(rule, Click("rage_click", At(0))));
    }

    [Fact]
    public void Page_path_prefix_is_a_case_sensitive_prefix()
    {
        const string rule = "\"filter\":{\"page_path_prefix\":\"/shop\"}";
        Assert.True(Matches(rule, Click("x", At(0), "/shop")));
        Assert.True(Matches(rule, Click("x", At(0), "/shop/drones")));
        Assert.False(Matches(rule, Click("x", At(0), "/sho")));
        Assert.False(Matches(rule, Click("x", At(0), "/Shop")));
        Assert.False(Matches(rule, Click("x", At(0), "/a/shop")));
    }

    [Fact]
    public void Page_path_equals_is_exact()
    {
        const string rule = "\"filter\":{\"page_path_equals\":\"/cart\"}";
        Assert.True(Matches(rule, Click("x", At(0), "/cart")));
        Assert.False(Matches(rule, Click("x", At(0), "/cart/items")));
        Assert.False(Matches(rule, Click("x", At(0), "/car")));
    }

    [Fact]
    public void Semantic_contains_ignores_case()
    {
        const string rule = "\"filter\":{\"semantic_contains\":\"CheckOut\"}";
        Assert.True(Matches(rule, Click("Clicked 'Proceed to checkout' button", At(0))));
        Assert.True(Matches(rule, Click("CHECKOUT", At(0))));
        Assert.False(Matches(rule, Click("Clicked 'Check out' button", At(0))));
    }

    [Fact]
    public void Every_given_filter_field_must_hold()
    {
        const string rule = "\"filter\":{\"action_type\":\"rage_click\",\"semantic_contains\":\"checkout\",\"page_path_prefix\":\"/cart\"}";
        Assert.True(Matches(rule, Make("Rage-clicked 'Checkout'", At(0), "click", "rage_click", "/cart")));
        Assert.False(Matches(rule, Make("Clicked 'Checkout'", At(0), "click", "click", "/cart")));
        Assert.False(Matches(rule, Make("Rage-clicked 'Buy'", At(0), "click", "rage_click", "/cart")));
        Assert.False(Matches(rule, Make("Rage-clicked 'Checkout'", At(0), "click", "rage_click", "/shop")));
    }

    [Fact]
    public void Rules_sharing_a_label_substring_are_evaluated_independently()
    {
        var rules = Rules.Many(
            Rules.Rule("rage", "\"filter\":{\"action_type\":\"rage_click\",\"semantic_contains\":\"checkout\"}"),
            Rules.Rule("any", "\"filter\":{\"semantic_contains\":\"CHECKOUT\"}"),
            Rules.Rule("path", "\"filter\":{\"semantic_contains\":\"checkout\",\"page_path_equals\":\"/cart\"}"));

        Assert.Equal(["any", "path"], Matches(rules, Click("Clicked 'Checkout'", At(0), "/cart")));
        Assert.Equal(["rage", "any"], Matches(rules, RageClick("Rage-clicked 'Checkout'", At(0))));
    }

    [Fact]
    public void Rule_sets_with_more_than_64_substrings_evaluate_the_same()
    {
        // Beyond 64 distinct substrings the label cache is off and each substring is tested on demand.
        var rules = Rules.Many([.. Enumerable.Range(0, 70).Select(i => Rules.Rule($"w{i}", $"\"filter\":{{\"semantic_contains\":\"<W{i}>\"}}"))]);
        Assert.Equal(["w3", "w65", "w69"], Matches(rules, Click("a <w65> b", At(0)), Click("<W3><w69>", At(1))));
    }

    [Fact]
    public void Min_count_needs_that_many_positive_events()
    {
        const string rule = "\"filter\":{\"semantic_contains\":\"cart\"},\"min_count\":3";
        Assert.False(Matches(rule, Click("cart", At(0)), Click("cart", At(1)), Click("other", At(2))));
        Assert.True(Matches(rule, Click("cart", At(0)), Click("cart", At(1)), Click("cart", At(2))));
    }

    [Fact]
    public void Time_window_matches_exactly_at_its_edge()
    {
        const string rule = "\"filter\":{\"semantic_contains\":\"x\"},\"min_count\":3,\"time_window_seconds\":60";
        Assert.True(Matches(rule, Click("x", At(0)), Click("x", At(30)), Click("x", At(60))));
        Assert.False(Matches(rule, Click("x", At(0)), Click("x", At(30)), Click("x", At(60) + Ms)));
    }

    [Fact]
    public void Time_window_needs_min_count_inside_one_window()
    {
        const string rule = "\"filter\":{\"semantic_contains\":\"x\"},\"min_count\":3,\"time_window_seconds\":60";
        // Five positives, but never three within 60 seconds...
        EnrichedEvent[] spread = [Click("x", At(0)), Click("x", At(50)), Click("x", At(111)), Click("x", At(161)), Click("x", At(222))];
        Assert.False(Matches(rule, spread));
        // ...until one more lands between two pairs.
        Assert.True(Matches(rule, [.. spread, Click("x", At(140))]));
    }

    [Fact]
    public void Time_window_handles_out_of_order_arrivals()
    {
        const string rule = "\"filter\":{\"semantic_contains\":\"x\"},\"min_count\":3,\"time_window_seconds\":60";
        Assert.True(Matches(rule, Click("x", At(60)), Click("x", At(500)), Click("x", At(0)), Click("x", At(30))));
        Assert.False(Matches(rule, Click("x", At(60) + Ms), Click("x", At(500)), Click("x", At(0)), Click("x", At(30))));
        // The late event is the oldest of all, and the window starts at it.
        Assert.False(Matches(rule, Click("x", At(50)), Click("x", At(40)), Click("x", At(300))));
        Assert.True(Matches(rule, Click("x", At(50)), Click("x", At(40)), Click("x", At(300)), Click("x", At(0))));
    }

    [Fact]
    public void Time_window_is_exact_for_a_late_event_within_the_kept_positives()
    {
        const string rule = "\"filter\":{\"semantic_contains\":\"x\"},\"min_count\":2,\"time_window_seconds\":60";
        var spread = Enumerable.Range(0, 63).Select(i => Click("x", At(i * 120))).ToList(); // no two within 60 s
        Assert.False(Matches(rule, [.. spread]));
        Assert.True(Matches(rule, [.. spread, Click("x", At(30))]));
    }

    [Fact]
    public void Time_window_judges_a_very_late_event_against_the_latest_64_positives_only()
    {
        // The documented bound: beyond 64 later positives, the late event's partner is forgotten.
        const string rule = "\"filter\":{\"semantic_contains\":\"x\"},\"min_count\":2,\"time_window_seconds\":60";
        var spread = Enumerable.Range(0, 100).Select(i => Click("x", At(i * 120))).ToList();
        EnrichedEvent[] events = [.. spread, Click("x", At(30))];
        Assert.Equal(["r"], BruteForce(Rules.One(rule), events));
        Assert.False(Matches(rule, events));
    }

    [Fact]
    public void Time_window_with_min_count_one_is_any_positive()
    {
        Assert.True(Matches("\"filter\":{\"semantic_contains\":\"x\"},\"time_window_seconds\":0", Click("x", At(0))));
    }

    [Fact]
    public void Negative_filter_without_window_is_broken_by_any_negative_in_the_session()
    {
        const string rule = "\"filter\":{\"semantic_contains\":\"cart\"},\"negative_filter\":{\"semantic_contains\":\"checkout\"}";
        Assert.True(Matches(rule, Click("cart", At(0)), Click("other", At(1))));
        Assert.False(Matches(rule, Click("cart", At(0)), Click("checkout", At(5000))));
        Assert.False(Matches(rule, Click("checkout", At(-5000)), Click("cart", At(0))));
    }

    [Fact]
    public void Negative_window_includes_both_of_its_edges()
    {
        const string rule = "\"filter\":{\"semantic_contains\":\"cart\"},\"negative_filter\":{\"semantic_contains\":\"checkout\"},\"negative_time_window_seconds\":60";
        Assert.True(Matches(rule, Click("cart", At(0))));
        Assert.False(Matches(rule, Click("cart", At(0)), Click("checkout", At(0))));
        Assert.False(Matches(rule, Click("cart", At(0)), Click("checkout", At(60))));
        Assert.True(Matches(rule, Click("cart", At(0)), Click("checkout", At(60) + Ms)));
        Assert.True(Matches(rule, Click("cart", At(0)), Click("checkout", At(0) - Ms)));
    }

    [Fact]
    public void Negative_window_follows_the_last_positive()
    {
        const string rule = "\"filter\":{\"semantic_contains\":\"cart\"},\"negative_filter\":{\"semantic_contains\":\"checkout\"},\"negative_time_window_seconds\":60";
        var rules = Rules.One(rule);
        var session = Session(rules, [Click("cart", At(0)), Click("checkout", At(30))]);
        Assert.Empty(Matches(session));

        // A later positive moves the window past the checkout: the pattern is back.
        session.Apply(Click("cart", At(100)), At(100));
        Assert.Equal(["r"], Matches(session));

        // A late negative inside the new window breaks it again, whatever its arrival order.
        session.Apply(Click("checkout", At(160)), At(101));
        Assert.Empty(Matches(session));
    }

    [Fact]
    public void Negative_window_handles_a_late_positive()
    {
        const string rule = "\"filter\":{\"semantic_contains\":\"cart\"},\"negative_filter\":{\"semantic_contains\":\"checkout\"},\"negative_time_window_seconds\":60";
        // The checkout arrives before the add-to-cart it follows.
        Assert.False(Matches(rule, Click("checkout", At(30)), Click("cart", At(0))));
        Assert.True(Matches(rule, Click("checkout", At(30)), Click("cart", At(0)), Click("cart", At(200))));
        Assert.False(Matches(rule, Click("checkout", At(30)), Click("checkout", At(250)), Click("cart", At(200)), Click("cart", At(0))));
    }

    [Fact]
    public void An_event_passing_both_filters_breaks_a_windowed_rule()
    {
        const string rule = "\"filter\":{\"semantic_contains\":\"cart\"},\"negative_filter\":{\"semantic_contains\":\"checkout\"},\"negative_time_window_seconds\":60";
        Assert.False(Matches(rule, Click("cart checkout", At(0))));
    }

    [Theory]
    [InlineData("min_duration_seconds", 120, 120, true)]
    [InlineData("min_duration_seconds", 120, 119.999, false)]
    [InlineData("max_duration_seconds", 60, 60, true)]
    [InlineData("max_duration_seconds", 60, 60.001, false)]
    public void Session_duration_bounds_are_inclusive(string field, int bound, double duration, bool expected)
    {
        var rule = $"\"filter\":{{\"semantic_contains\":\"x\"}},\"session_filter\":{{\"{field}\":{bound}}}";
        Assert.Equal(expected, Matches(rule, Click("x", At(0)), Click("y", At(duration))));
    }

    [Theory]
    [InlineData("min_events", 3, 3, true)]
    [InlineData("min_events", 3, 2, false)]
    [InlineData("max_events", 3, 3, true)]
    [InlineData("max_events", 3, 4, false)]
    public void Session_event_bounds_are_inclusive(string field, int bound, int events, bool expected)
    {
        var rule = $"\"filter\":{{\"semantic_contains\":\"x\"}},\"session_filter\":{{\"{field}\":{bound}}}";
        var list = Enumerable.Range(0, events).Select(i => Click("x", At(i))).ToArray();
        Assert.Equal(expected, Matches(rule, list));
    }

    [Theory]
    [InlineData("min_page_views", 2, 2, true)]
    [InlineData("min_page_views", 2, 1, false)]
    [InlineData("max_page_views", 2, 2, true)]
    [InlineData("max_page_views", 2, 3, false)]
    public void Session_page_view_bounds_are_inclusive(string field, int bound, int pageViews, bool expected)
    {
        var rule = $"\"filter\":{{\"semantic_contains\":\"x\"}},\"session_filter\":{{\"{field}\":{bound}}}";
        var list = Enumerable.Range(0, pageViews).Select(i => PageView("/p", At(i))).Append(Click("x", At(10))).ToArray();
        Assert.Equal(expected, Matches(rule, list));
    }

    [Fact]
    public void A_max_bound_can_unmatch_a_rule_as_the_session_grows()
    {
        var session = Session(Rules.One("\"filter\":{\"semantic_contains\":\"x\"},\"session_filter\":{\"max_events\":2}"), [Click("x", At(0)), Click("y", At(1))]);
        Assert.Single(Matches(session));
        session.Apply(Click("z", At(2)), At(2));
        Assert.Empty(Matches(session));
    }

    [Fact]
    public void A_rule_without_positive_filter_matches_on_the_session_filter_alone()
    {
        var rules = Rules.One("\"session_filter\":{\"max_duration_seconds\":10,\"min_page_views\":1}");
        Assert.Equal(["r"], Matches(rules, PageView("/", At(0)), Click("anything", At(10))));
        Assert.Empty(Matches(rules, Click("anything", At(0)), Click("anything", At(10))));
        Assert.Empty(Matches(rules, PageView("/", At(0)), Click("anything", At(11))));
    }

    [Fact]
    public void Output_keeps_rule_order_not_match_order()
    {
        var rules = Rules.Many(
            Rules.Rule("third_to_match", "\"filter\":{\"semantic_contains\":\"c\"}"),
            Rules.Rule("never", "\"filter\":{\"semantic_contains\":\"zzz\"}"),
            Rules.Rule("first_to_match", "\"filter\":{\"semantic_contains\":\"a\"}"),
            Rules.Rule("second_to_match", "\"filter\":{\"semantic_contains\":\"b\"}"));

        Assert.Equal(["third_to_match", "first_to_match", "second_to_match"], Matches(rules, Click("a", At(0)), Click("b", At(1)), Click("c", At(2))));
    }

    [Fact]
    public void Evidence_counts_positives_and_keeps_the_latest_ten_ids_by_timestamp()
    {
        var rules = Rules.One("\"filter\":{\"semantic_contains\":\"x\"}");
        var events = Enumerable.Range(0, 15).Select(i => Click("x", At(i * 10))).ToList();
        var arrival = events.Skip(5).Concat(events.Take(5)).Append(Click("other", At(1000))).ToList(); // earliest five arrive last

        var state = Session(rules, arrival).Patterns.StateOf(0)!;

        Assert.Equal(15, state.PositiveCount);
        Assert.Equal(At(0).UtcTicks, state.FirstSeenTicks);
        Assert.Equal(At(140).UtcTicks, state.LastSeenTicks);
        var ids = Enumerable.Range(0, state.Evidence.Count).Select(i => state.Evidence[i].EventId).ToList();
        Assert.Equal(events.Skip(5).Select(e => e.EnrichedEventId), ids);
    }

    [Fact]
    public void Matches_agree_with_a_literal_reading_of_the_spec_whatever_the_arrival_order()
    {
        var rules = Rules.Many(
            Rules.Rule("window", "\"filter\":{\"semantic_contains\":\"a\"},\"min_count\":3,\"time_window_seconds\":30"),
            Rules.Rule("window_pair", "\"filter\":{\"semantic_contains\":\"b\"},\"min_count\":2,\"time_window_seconds\":5"),
            Rules.Rule("neg_window", "\"filter\":{\"semantic_contains\":\"a\"},\"negative_filter\":{\"semantic_contains\":\"b\"},\"negative_time_window_seconds\":20"),
            Rules.Rule("neg_any", "\"filter\":{\"semantic_contains\":\"c\"},\"min_count\":2,\"negative_filter\":{\"semantic_contains\":\"d\"}"),
            Rules.Rule("session", "\"session_filter\":{\"min_events\":5,\"max_duration_seconds\":150}"),
            Rules.Rule("all", "\"filter\":{\"event_type\":\"click\"},\"min_count\":4,\"time_window_seconds\":10,\"negative_filter\":{\"semantic_contains\":\"c\"},\"negative_time_window_seconds\":3"));
        var labels = new[] { "a", "b", "c", "d", "ab" };
        var rng = new Random(12345);
        var seen = new HashSet<string>();
        var missed = new HashSet<string>();
        for (var round = 0; round < 300; round++)
        {
            var events = Enumerable.Range(0, rng.Next(1, 25))
                .Select(_ => Click(labels[rng.Next(labels.Length)], At(rng.Next(200))))
                .ToList();
            var expected = BruteForce(rules, events);
            seen.UnionWith(expected);
            missed.UnionWith(rules.Rules.Select(r => r.Code).Except(expected));
            for (var order = 0; order < 3; order++)
            {
                var arrival = order == 0 ? events.OrderBy(e => e.Timestamp).ToList() : events.OrderBy(_ => rng.Next()).ToList();
                Assert.Equal(expected, Matches(rules, [.. arrival]));
            }
        }
        // The random sessions exercise every rule both ways.
        Assert.Equal(rules.Rules.Select(r => r.Code).ToHashSet(), seen);
        Assert.Equal(rules.Rules.Select(r => r.Code).ToHashSet(), missed);
    }
}
