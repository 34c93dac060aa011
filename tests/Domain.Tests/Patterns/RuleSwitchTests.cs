using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Tests.Support;

namespace SessionInsights.Domain.Tests.Patterns;

/// <summary>A live user moving to a new version of its project's rules (UserActivity.UseOptions).</summary>
public class RuleSwitchTests
{
    private static DateTimeOffset At(int minute) => Ev.T0.AddMinutes(minute);

    private static readonly PatternRuleSet Before = Rules.Many(
        Rules.Rule("kept", "\"filter\":{\"semantic_contains\":\"buy\"},\"min_count\":2"),
        Rules.Rule("redefined", "\"filter\":{\"semantic_contains\":\"buy\"},\"min_count\":2,\"time_window_seconds\":600"),
        Rules.Rule("deleted", "\"filter\":{\"semantic_contains\":\"buy\"}"));

    private static readonly PatternRuleSet After = Rules.Many(
        Rules.Rule("redefined", "\"filter\":{\"semantic_contains\":\"buy\"},\"min_count\":2,\"time_window_seconds\":300", "HIGH"),
        Rules.Rule("kept", "\"filter\":{\"semantic_contains\":\"buy\"},\"min_count\":2", "MEDIUM"),
        Rules.Rule("new", "\"filter\":{\"semantic_contains\":\"buy\"}"));

    private static List<(string?, int)> Patterns(Domain.Users.UserActivity user) =>
        [.. Support.Users.Context(user).GetProperty("patterns").EnumerateArray()
            .Select(p => (p.GetProperty("code").GetString(), p.GetProperty("evidence").GetProperty("count").GetInt32()))];

    [Fact]
    public void Unchanged_rules_keep_their_counts_changed_ones_start_fresh_and_deleted_ones_vanish()
    {
        var user = Support.Users.New(options: Support.Users.Options(Before));
        user.Apply(Ph.Click(At(0), "Clicked 'Buy'"), At(0));
        user.Apply(Ph.Click(At(1), "Clicked 'Buy'"), At(1));
        Assert.Equal([("deleted", 2), ("kept", 2), ("redefined", 2)], Patterns(user).OrderBy(p => p.Item1).ToList());

        var rows = user.UseOptions(Support.Users.Options(After));

        // The session's patterns changed (one rule gone, one restarted): its row must be stored again.
        Assert.Single(rows);
        Assert.DoesNotContain("deleted", rows[0].PatternsJson, StringComparison.Ordinal);
        Assert.Equal([("kept", 2)], Patterns(user));
        Assert.Same(After, user.Rules);

        user.Apply(Ph.Click(At(2), "Clicked 'Buy'"), At(2));
        // "kept" counts all three events; "redefined" and "new" only what came after the switch.
        Assert.Equal([("kept", 3), ("new", 1)], Patterns(user).OrderBy(p => p.Item1).ToList());
        user.Apply(Ph.Click(At(3), "Clicked 'Buy'"), At(3));
        Assert.Equal([("kept", 4), ("new", 2), ("redefined", 2)], Patterns(user).OrderBy(p => p.Item1).ToList());
    }

    [Fact]
    public void The_same_rules_again_change_nothing()
    {
        var user = Support.Users.New(options: Support.Users.Options(Before));
        user.Apply(Ph.Click(At(0), "Clicked 'Buy'"), At(0));
        Assert.Empty(user.UseOptions(Support.Users.Options(Before)));
        // A new version with identical definitions keeps every rule's state and writes no row.
        var same = PatternRuleSet.FromDefinitions(Before.Definitions);
        Assert.Empty(user.UseOptions(Support.Users.Options(same)));
        Assert.Same(same, user.Rules);
    }

    [Fact]
    public void Stored_definitions_put_back_together_are_the_same_rules()
    {
        var set = PatternRuleSet.Default;
        var again = PatternRuleSet.FromDefinitions(set.Definitions);
        Assert.Equal(set.Rules, again.Rules);
        Assert.Equal(set.Fingerprints, again.Fingerprints);
        Assert.All(set.Definitions, d => Assert.DoesNotContain("\n", d, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[]", "rule", "JSON object")]
    [InlineData("{\"code\":\"x\"", "rule", "not valid JSON")]
    [InlineData("{\"code\":\"x\",\"description\":\"d\",\"severity\":\"LOW\",\"filter\":{\"semantic_contains\":\"a\"}}]},{\"rules\":[", "rule", "not valid JSON")]
    [InlineData("{\"code\":\"x\",\"description\":\"d\",\"severity\":\"SEVERE\",\"filter\":{\"semantic_contains\":\"a\"}}", "severity", "'x'")]
    [InlineData("{\"code\":\"x\",\"description\":\"d\",\"severity\":\"LOW\",\"filter\":{\"text\":\"a\"}}", "filter.text", "'x'")]
    public void One_rule_is_validated_by_the_rule_file_parser_naming_rule_and_field(string json, string field, string inMessage)
    {
        var ex = Assert.Throws<PatternRuleException>(() => PatternRuleSet.ParseDefinition(json));
        Assert.Equal(field, ex.Field);
        Assert.Contains(inMessage, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_rule_comes_back_compact_with_its_parsed_form()
    {
        var (rule, definition) = PatternRuleSet.ParseDefinition("""
            { "code": "x", // a comment
              "description": "d", "severity": "low", "filter": { "event_type": "click" } }
            """);
        Assert.Equal("x", rule.Code);
        Assert.Equal(PatternSeverity.Low, rule.Severity);
        Assert.Equal("""{"code":"x","description":"d","severity":"low","filter":{"event_type":"click"}}""", definition);
    }
}

