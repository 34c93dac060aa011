using System.Text.Json;
using SessionInsights.Domain.Backtests;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Patterns;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Backtests;

public class BacktestAccumulatorTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static PatternRuleSet Rule(string body) =>
        RuleBacktester.ParseRule(JsonDocument.Parse("{\"code\":\"r\",\"severity\":\"LOW\",\"description\":\"d\"," + body + "}").RootElement);

    private static EnrichedEvent E(string user, string? session, string label, DateTimeOffset at, string type = "click") =>
        Make(label, at, type, type == "pageview" ? "view" : "click", session: session, user: user);

    private static BacktestResult Run(PatternRuleSet rule, IEnumerable<EnrichedEvent> events)
    {
        var accumulator = new BacktestAccumulator(rule);
        foreach (var e in events)
        {
            accumulator.Add(e);
        }
        return accumulator.Finish();
    }

    [Fact]
    public void Counts_sessions_users_days_and_examples_as_computed_by_hand()
    {
        // Two checkout clicks in a session match. Stream: by user, then session, then arrival.
        var rule = Rule("\"filter\":{\"event_type\":\"click\",\"semantic_contains\":\"checkout\"},\"min_count\":2");
        var s1a = E("u1", "s1", "Clicked checkout", Day1);
        var s1b = E("u1", "s1", "Clicked checkout", Day1.AddMinutes(1));          // s1 matches here, day 1
        var s2 = E("u1", "s2", "Clicked checkout", Day1.AddDays(1));             // one click: no match
        var s3a = E("u2", "s3", "Viewed home", Day1.AddDays(1), "pageview");
        var s3b = E("u2", "s3", "Clicked checkout", new DateTimeOffset(2026, 3, 2, 23, 59, 59, TimeSpan.Zero));
        var s3c = E("u2", "s3", "Clicked checkout", new DateTimeOffset(2026, 3, 3, 0, 0, 1, TimeSpan.Zero)); // day 3
        var s4a = E("u3", "s4", "Clicked checkout", Day1.AddHours(2));
        var s4b = E("u3", "s4", "Clicked checkout", Day1.AddHours(3));           // day 1
        var noSession = E("u3", null, "Clicked checkout", Day1.AddHours(4));
        var s5 = E("u4", "s5", "Viewed home", Day1, "pageview");

        var r = Run(rule, [s1a, s1b, s2, s3a, s3b, s3c, s4a, s4b, noSession, s5]);

        Assert.Equal(10, r.EventsScanned);
        Assert.Equal(5, r.SessionsTotal);
        Assert.Equal(3, r.SessionsMatched);
        Assert.Equal(4, r.UsersTotal);
        Assert.Equal(3, r.UsersMatched);
        Assert.Equal(0.6, r.Share, 9);
        Assert.Equal(
            [new BacktestDay(new DateOnly(2026, 3, 1), 2), new BacktestDay(new DateOnly(2026, 3, 3), 1)],
            r.MatchesPerDay);
        Assert.Equal(["s1", "s3", "s4"], r.Examples.Select(x => x.SessionId));
        var first = r.Examples[0];
        Assert.Equal("u1", first.UserId);
        Assert.Equal(s1b.Timestamp, first.MatchedAt);
        Assert.Equal(s1a.Timestamp, first.FirstSeen);
        Assert.Equal(s1b.Timestamp, first.LastSeen);
        Assert.Equal(2, first.SessionEvents);
        Assert.Equal([s1a.EnrichedEventId, s1b.EnrichedEventId], first.EvidenceEventIds);
        Assert.Equal([s3b.EnrichedEventId, s3c.EnrichedEventId], r.Examples[1].EvidenceEventIds);
        Assert.Equal(3, r.Examples[1].SessionEvents);
    }

    [Fact]
    public void A_session_whose_match_a_negative_event_undid_does_not_count()
    {
        var rule = Rule("\"filter\":{\"semantic_contains\":\"add to cart\"},\"negative_filter\":{\"semantic_contains\":\"checkout\"}");
        var r = Run(rule,
        [
            E("u1", "a", "Clicked add to cart", Day1), E("u1", "a", "Clicked checkout", Day1.AddMinutes(1)),
            E("u1", "b", "Clicked add to cart", Day1.AddHours(1)),
        ]);
        Assert.Equal((2L, 1L, 1L), (r.SessionsTotal, r.SessionsMatched, r.UsersMatched));
        Assert.Equal("b", Assert.Single(r.Examples).SessionId);
    }

    [Fact]
    public void A_session_filter_rule_has_no_evidence_and_the_session_bounds_as_first_and_last_seen()
    {
        var rule = Rule("\"session_filter\":{\"min_events\":3}");
        var events = new[] { E("u1", "a", "x", Day1), E("u1", "a", "y", Day1.AddMinutes(5)), E("u1", "a", "z", Day1.AddMinutes(9)) };
        var example = Assert.Single(Run(rule, events).Examples);
        Assert.Empty(example.EvidenceEventIds);
        Assert.Equal((Day1, Day1.AddMinutes(9), Day1.AddMinutes(9)), (example.FirstSeen, example.LastSeen, example.MatchedAt));
    }

    [Fact]
    public void Examples_stop_at_twenty_while_counts_go_on()
    {
        var rule = Rule("\"filter\":{\"semantic_contains\":\"checkout\"}");
        var events = Enumerable.Range(0, 25).Select(i => E($"u{i:D2}", $"s{i:D2}", "Clicked checkout", Day1.AddHours(i)));
        var r = Run(rule, events);
        Assert.Equal((25L, 25L, 25L, 1.0), (r.SessionsMatched, r.UsersTotal, r.UsersMatched, r.Share));
        Assert.Equal(BacktestAccumulator.MaxExamples, r.Examples.Count);
        Assert.Equal("s19", r.Examples[^1].SessionId);
        Assert.Equal([new BacktestDay(new DateOnly(2026, 3, 1), 14), new BacktestDay(new DateOnly(2026, 3, 2), 11)], r.MatchesPerDay);
    }

    [Fact]
    public void The_same_session_id_under_two_users_is_two_sessions()
    {
        var rule = Rule("\"filter\":{\"semantic_contains\":\"checkout\"},\"min_count\":2");
        var r = Run(rule, [E("u1", "s", "Clicked checkout", Day1), E("u2", "s", "Clicked checkout", Day1)]);
        Assert.Equal((2L, 0L, 2L), (r.SessionsTotal, r.SessionsMatched, r.UsersTotal));
    }

    [Fact]
    public void Nothing_scanned_gives_zero_share()
    {
        var r = Run(Rule("\"filter\":{\"semantic_contains\":\"checkout\"}"), []);
        Assert.Equal((0L, 0L, 0.0), (r.EventsScanned, r.SessionsTotal, r.Share));
        Assert.Empty(r.MatchesPerDay);
    }

    [Fact]
    public void Only_one_rule_is_backtested_at_a_time()
    {
        var two = PatternRuleSet.FromJson("""
            {"rules":[{"code":"a","severity":"LOW","description":"d","filter":{"event_type":"click"}},
                      {"code":"b","severity":"LOW","description":"d","filter":{"event_type":"click"}}]}
            """);
        Assert.Throws<ArgumentException>(() => new BacktestAccumulator(two));
    }

    [Fact]
    public void An_invalid_rule_names_its_field()
    {
        var ex = Assert.Throws<PatternRuleException>(() => Rule("\"filter\":{\"semantic_containz\":\"x\"}"));
        Assert.Equal("filter.semantic_containz", ex.Field);
    }

    [Fact]
    public async Task The_runner_reads_an_async_stream()
    {
        static async IAsyncEnumerable<EnrichedEvent> Stream(params EnrichedEvent[] events)
        {
            foreach (var e in events)
            {
                await Task.Yield();
                yield return e;
            }
        }
        var r = await BacktestRunner.RunAsync(Rule("\"filter\":{\"semantic_contains\":\"checkout\"}"),
            Stream(E("u1", "a", "Clicked checkout", Day1), E("u1", "b", "Viewed home", Day1, "pageview")));
        Assert.Equal((2L, 2L, 1L, 0.5), (r.EventsScanned, r.SessionsTotal, r.SessionsMatched, r.Share));
    }
}
