using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Tests.Support;

namespace SessionInsights.Domain.Tests.Patterns;

public class PatternRuleSetTests
{
    [Fact]
    public void The_seed_pack_loads_the_seeds_rules()
    {
        var rules = RulePacks.Load(RulePacks.Seed);

        Assert.Equal(25, rules.Count);
        Assert.Equal("checkout_button_rage_click", rules.Rules[0].Code);
        Assert.Equal("professional_vs_consumer_comparison", rules.Rules[24].Code);
        Assert.Same(rules, RulePacks.Load(RulePacks.Seed));

        var abandonment = rules.Rules[rules.IndexOf("cart_abandonment_with_items")];
        Assert.Equal(PatternSeverity.High, abandonment.Severity);
        Assert.Equal("add to cart", abandonment.Filter!.SemanticContains);
        Assert.Equal("checkout", abandonment.NegativeFilter!.SemanticContains);
        Assert.Equal(TimeSpan.FromSeconds(900), abandonment.NegativeTimeWindow);
        Assert.Null(abandonment.TimeWindow);

        var updates = rules.Rules[rules.IndexOf("excessive_cart_updates")];
        Assert.Equal(5, updates.MinCount);
        Assert.Equal(TimeSpan.FromMinutes(10), updates.TimeWindow);

        var paralysis = rules.Rules[rules.IndexOf("product_comparison_paralysis")];
        Assert.Equal(TimeSpan.FromSeconds(120), paralysis.SessionFilter!.MinDuration);
    }

    [Fact]
    public void Reads_every_field()
    {
        var rules = Rules.One("""
            "filter": {"event_type":"click","action_type":"rage_click","page_path_prefix":"/shop","page_path_equals":"/shop/x","semantic_contains":"buy"},
            "min_count": 3, "time_window_seconds": 1.5,
            "negative_filter": {"semantic_contains":"order"}, "negative_time_window_seconds": 60,
            "session_filter": {"min_duration_seconds":1,"max_duration_seconds":2,"min_events":3,"max_events":4,"min_page_views":5,"max_page_views":6}
            """);
        var r = rules.Rules[0];

        Assert.Equal(new EventFilter { EventType = "click", ActionType = "rage_click", PagePathPrefix = "/shop", PagePathEquals = "/shop/x", SemanticContains = "buy" }, r.Filter);
        Assert.Equal(3, r.MinCount);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), r.TimeWindow);
        Assert.Equal(new EventFilter { SemanticContains = "order" }, r.NegativeFilter);
        Assert.Equal(TimeSpan.FromMinutes(1), r.NegativeTimeWindow);
        Assert.Equal(
            new SessionFilter { MinDuration = TimeSpan.FromSeconds(1), MaxDuration = TimeSpan.FromSeconds(2), MinEvents = 3, MaxEvents = 4, MinPageViews = 5, MaxPageViews = 6 },
            r.SessionFilter);
    }

    [Fact]
    public void Min_count_defaults_to_one_and_severity_ignores_case()
    {
        var r = PatternRuleSet.FromJson("""{"rules":[{"code":"a","description":"d","severity":"medium","filter":{"semantic_contains":"x"}}]}""").Rules[0];
        Assert.Equal(1, r.MinCount);
        Assert.Equal(PatternSeverity.Medium, r.Severity);
    }

    [Fact]
    public void An_empty_rule_list_is_allowed_and_comments_are_skipped()
    {
        Assert.Equal(0, PatternRuleSet.FromJson("""{ /* all patterns off */ "rules": [], }""").Count);
    }

    [Theory]
    [InlineData("""{"code":"a","description":"d","severity":"CRITICAL","filter":{"semantic_contains":"x"}}""", "'a'", "severity", "CRITICAL")]
    [InlineData("""{"description":"d","severity":"LOW","filter":{"semantic_contains":"x"}}""", "rules[0]", "code", "missing")]
    [InlineData("""{"code":"  ","description":"d","severity":"LOW","filter":{"semantic_contains":"x"}}""", "rules[0]", "code", "empty")]
    [InlineData("""{"code":"a","severity":"LOW","filter":{"semantic_contains":"x"}}""", "'a'", "description", "missing")]
    [InlineData("""{"code":"a","description":"d","filter":{"semantic_contains":"x"}}""", "'a'", "severity", "missing")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","filter":{"semantic_contains":"x"},"min_count":0}""", "'a'", "min_count", "at least 1")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","filter":{"semantic_contains":"x"},"min_count":2.5}""", "'a'", "min_count", "whole number")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","filter":{"semantic_contains":"x"},"min_count":"3"}""", "'a'", "min_count", "whole number")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","filter":{"semantic_contains":"x"},"time_window_seconds":-1}""", "'a'", "time_window_seconds", "negative")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","filter":{"semantic_contains":"x"},"negative_filter":{"semantic_contains":"y"},"negative_time_window_seconds":-5}""", "'a'", "negative_time_window_seconds", "negative")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","filter":{"semantic_contains":"x"},"negative_time_window_seconds":5}""", "'a'", "negative_time_window_seconds", "negative_filter")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW"}""", "'a'", "filter", "session_filter")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","session_filter":{"min_events":1},"min_count":2}""", "'a'", "min_count", "positive 'filter'")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","session_filter":{"min_events":1},"negative_filter":{"semantic_contains":"y"}}""", "'a'", "negative_filter", "positive 'filter'")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","session_filter":{"min_events":1},"time_window_seconds":5}""", "'a'", "time_window_seconds", "positive 'filter'")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","filter":{"semantic_contains":"x"},"colour":"red"}""", "'a'", "colour", "not a known field")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","filter":{"semantic_contain":"x"}}""", "'a'", "filter.semantic_contain", "not a known field")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","filter":{"semantic_contains":"x"},"session_filter":{"min_event":1}}""", "'a'", "session_filter.min_event", "not a known field")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","filter":{}}""", "'a'", "filter", "no conditions")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","filter":{"semantic_contains":""}}""", "'a'", "filter.semantic_contains", "empty")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","filter":{"event_type":7}}""", "'a'", "filter.event_type", "string")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","filter":"x"}""", "'a'", "filter", "object")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","session_filter":{}}""", "'a'", "session_filter", "no conditions")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","session_filter":{"min_events":-1}}""", "'a'", "session_filter.min_events", "negative")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","session_filter":{"max_duration_seconds":-0.5}}""", "'a'", "session_filter.max_duration_seconds", "negative")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","session_filter":{"min_page_views":3,"max_page_views":2}}""", "'a'", "session_filter.max_page_views", "less than")]
    [InlineData("""{"code":"a","description":"d","severity":"LOW","filter":{"semantic_contains":"x"},"min_count":1,"min_count":2}""", "'a'", "min_count", "more than once")]
    public void Invalid_rules_are_refused_with_rule_and_field_named(string rule, string ruleName, string field, string problem)
    {
        var json = $$"""{"rules":[{{rule}}]}""";

        var ex = Assert.Throws<PatternRuleException>(() => PatternRuleSet.FromJson(json));

        Assert.Contains(ruleName, ex.Message);
        Assert.Contains($"'{field}'", ex.Message);
        Assert.Contains(problem, ex.Message);
        Assert.Equal(0, ex.RuleIndex);
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void The_index_names_rules_further_down_the_file()
    {
        var ex = Assert.Throws<PatternRuleException>(() => Rules.Many(
            Rules.Rule("ok", "\"filter\":{\"semantic_contains\":\"x\"}"),
            """{"description":"d","severity":"LOW","filter":{"semantic_contains":"x"}}"""));

        Assert.StartsWith("Pattern rule rules[1]: field 'code' is missing", ex.Message);
        Assert.Equal(1, ex.RuleIndex);
        Assert.Null(ex.RuleCode);
    }

    [Fact]
    public void Duplicate_codes_are_refused_naming_both_rules()
    {
        var ex = Assert.Throws<PatternRuleException>(() => Rules.Many(
            Rules.Rule("same", "\"filter\":{\"semantic_contains\":\"x\"}"),
            Rules.Rule("other", "\"filter\":{\"semantic_contains\":\"x\"}"),
            Rules.Rule("same", "\"filter\":{\"semantic_contains\":\"y\"}")));

        Assert.Equal("Pattern rule rules[2] 'same': field 'code' duplicates the code of rules[0].", ex.Message);
        Assert.Equal("same", ex.RuleCode);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "'rules' array")]
    [InlineData("""{"rules":{}}""", "'rules' array")]
    [InlineData("""{"rulez":[]}""", "unknown top-level field 'rulez'")]
    [InlineData("""{"rules":[42]}""", "rules[0] must be a JSON object")]
    public void Malformed_files_are_refused(string json, string message)
    {
        var ex = Assert.Throws<PatternRuleException>(() => PatternRuleSet.FromJson(json));
        Assert.Contains(message, ex.Message);
    }
}
