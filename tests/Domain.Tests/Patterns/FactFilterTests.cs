using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Tests.Support;
using static SessionInsights.Domain.Tests.Support.Ev;
using static SessionInsights.Domain.Tests.Support.PatternRun;

namespace SessionInsights.Domain.Tests.Patterns;

/// <summary>The filters that key on facts: event_name, property and semantic_words (whole words).</summary>
public class FactFilterTests
{
    private static string Filter(string filterJson) => $"\"filter\":{filterJson}";

    [Fact]
    public void Event_name_is_exact_and_ordinal()
    {
        var rule = Filter("""{"event_name":"payment_failed"}""");

        Assert.True(Matches(rule, Make("Payment failed", At(0), "custom", name: "payment_failed")));
        Assert.False(Matches(rule, Make("Payment failed", At(0), "custom", name: "Payment_Failed")));
        Assert.False(Matches(rule, Make("Payment failed", At(0), "custom", name: "payment_failed_twice")));
        // The label says it, but the fact does not.
        Assert.False(Matches(rule, Click("Clicked 'payment_failed' button", At(0))));
    }

    [Fact]
    public void Event_name_may_list_several_names()
    {
        var rule = Filter("""{"event_name":["order_completed","purchase"]}""");

        Assert.True(Matches(rule, Make("x", At(0), "custom", name: "purchase")));
        Assert.True(Matches(rule, Make("x", At(0), "custom", name: "order_completed")));
        Assert.False(Matches(rule, Make("x", At(0), "custom", name: "order_started")));
    }

    [Theory]
    [InlineData("pay", "Rage-clicked 'Pay now' button", true)]
    [InlineData("pay", "Rage-clicked 'Pay $49.00' button", true)]
    [InlineData("pay", "Rage-clicked 'PAY' button", true)]
    [InlineData("pay", "Rage-clicked 'Payment options' button", false)]
    [InlineData("pay", "Rage-clicked 'Repay' button", false)]
    [InlineData("pay", "Rage-clicked 'pay_now' button", false)]
    [InlineData("form", "Rage-clicked form on signup page", true)]
    [InlineData("form", "Rage-clicked 'Platform' button", false)]
    [InlineData("form", "Rage-clicked 'More information' link", false)]
    [InlineData("add to cart", "Clicked 'Add to Cart' button", true)]
    [InlineData("add to cart", "Clicked 'Add to Cartography' button", false)]
    [InlineData("add to cart", "Clicked 'Add to' button", false)]
    [InlineData("pay", "pay", true)]
    [InlineData("pay", "Pay Pay", true)]
    [InlineData("pay", "Payday, then pay", true)]
    public void Semantic_words_match_whole_words_and_phrases_ignoring_case(string words, string label, bool expected)
    {
        var filter = new EventFilter { SemanticWords = words };
        var rule = Filter($$"""{"semantic_words":"{{words}}"}""");

        Assert.Equal(expected, filter.Matches(RageClick(label, At(0))));
        // The rule set's filter table (label cache, shared needles) agrees with the filter itself.
        Assert.Equal(expected, Matches(rule, RageClick(label, At(0))));
    }

    [Theory]
    [InlineData("""{"limit":"seats"}""", """{"name":"limit","equals":"seats"}""", true)]
    [InlineData("""{"limit":"Seats"}""", """{"name":"limit","equals":"seats"}""", false)]
    [InlineData("""{"limit":"projects","other":{"limit":"seats"}}""", """{"name":"limit","equals":"seats"}""", false)]
    [InlineData("""{"nested":{"limit":"seats"}}""", """{"name":"limit","equals":"seats"}""", false)]
    [InlineData("""{}""", """{"name":"limit","equals":"seats"}""", false)]
    [InlineData("""{"seats":5}""", """{"name":"seats","equals":5}""", true)]
    [InlineData("""{"seats":5.0}""", """{"name":"seats","equals":5}""", true)]
    [InlineData("""{"seats":"5"}""", """{"name":"seats","equals":5}""", false)]
    [InlineData("""{"trial":true}""", """{"name":"trial","equals":true}""", true)]
    [InlineData("""{"trial":false}""", """{"name":"trial","equals":true}""", false)]
    [InlineData("""{"trial":"true"}""", """{"name":"trial","equals":true}""", false)]
    [InlineData("""{"plan":null}""", """{"name":"plan","equals":"pro"}""", false)]
    [InlineData("""{"a":[1,{"plan":"x"}],"plan":"pro"}""", """{"name":"plan","equals":"pro"}""", true)]
    public void Property_compares_a_top_level_value_of_the_stored_context(string context, string property, bool expected)
    {
        var rule = Filter($$"""{"event_name":"limit_reached","property":{{property}}}""");

        Assert.Equal(expected, Matches(rule, Make("Limit reached", At(0), "custom", name: "limit_reached", contextJson: context)));
    }

    [Fact]
    public void New_fields_combine_with_the_old_ones_and_with_each_other()
    {
        var rule = Filter("""{"action_type":"rage_click","semantic_words":"pay","semantic_contains":"$","page_path_prefix":"/checkout"}""");

        Assert.True(Matches(rule, RageClick("Rage-clicked 'Pay $49.00' button", At(0), "/checkout")));
        Assert.False(Matches(rule, RageClick("Rage-clicked 'Pay now' button", At(0), "/checkout")));
        Assert.False(Matches(rule, RageClick("Rage-clicked 'Pay $49.00' button", At(0), "/cart")));
    }

    [Fact]
    public void More_than_64_label_tests_take_the_uncached_path_with_the_same_results()
    {
        var rules = Rules.Many([
            .. Enumerable.Range(0, 70).Select(i => Rules.Rule($"c{i}", $$"""{{Filter($$"""{"semantic_contains":"word{{i}}"}""")}}""")),
            Rules.Rule("pay", Filter("""{"action_type":"rage_click","semantic_words":"pay"}""")),
            Rules.Rule("seats", Filter("""{"property":{"name":"limit","equals":"seats"}}""")),
        ]);

        Assert.Equal(["pay"], Matches(rules, RageClick("Rage-clicked 'Pay now' button", At(0))));
        Assert.Empty(Matches(rules, RageClick("Rage-clicked 'Payment' button", At(0))));
        Assert.Equal(["c7", "seats"], Matches(rules, Make("word7 here", At(0), "custom", contextJson: """{"limit":"seats"}""")));
    }

    [Fact]
    public void The_fingerprint_covers_the_new_fields_and_keeps_the_old_rules_fingerprints()
    {
        ulong Of(string filter) => RuleFingerprint.Of(Rules.One(Filter(filter)).Rules[0]);

        var baseline = Of("""{"semantic_contains":"x"}""");
        Assert.NotEqual(baseline, Of("""{"semantic_contains":"x","event_name":"a"}"""));
        Assert.NotEqual(Of("""{"semantic_contains":"x","event_name":"a"}"""), Of("""{"semantic_contains":"x","event_name":["a","b"]}"""));
        Assert.NotEqual(baseline, Of("""{"semantic_contains":"x","semantic_words":"y"}"""));
        Assert.NotEqual(Of("""{"semantic_words":"x"}"""), Of("""{"semantic_contains":"x"}"""));
        Assert.NotEqual(Of("""{"property":{"name":"a","equals":"1"}}"""), Of("""{"property":{"name":"a","equals":1}}"""));
        Assert.NotEqual(Of("""{"property":{"name":"a","equals":"1"}}"""), Of("""{"property":{"name":"a","equals":"2"}}"""));
        // Rules written before these fields keep the fingerprint they had (the canonical text of the
        // previous release), so sessions' stored rule state stays valid across the upgrade.
        Assert.Equal(Fnv("r\u001f||||X\u001f-\u001f-\u001f"), baseline);
    }

    private static ulong Fnv(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }

    [Theory]
    [InlineData("""{"event_name":7}""", "filter.event_name", "event name")]
    [InlineData("""{"event_name":[]}""", "filter.event_name", "non-empty array")]
    [InlineData("""{"event_name":["a",""]}""", "filter.event_name", "non-empty strings")]
    [InlineData("""{"event_name":""}""", "filter.event_name", "empty")]
    [InlineData("""{"semantic_words":" pay"}""", "filter.semantic_words", "whitespace")]
    [InlineData("""{"semantic_words":3}""", "filter.semantic_words", "string")]
    [InlineData("""{"property":"plan"}""", "filter.property", "object")]
    [InlineData("""{"property":{"equals":"pro"}}""", "filter.property.name", "missing")]
    [InlineData("""{"property":{"name":"plan"}}""", "filter.property.equals", "missing")]
    [InlineData("""{"property":{"name":"plan","equals":["pro"]}}""", "filter.property.equals", "string, a number or a boolean")]
    [InlineData("""{"property":{"name":"plan","value":"pro"}}""", "filter.property.value", "not a known field")]
    [InlineData("""{"event_names":"a"}""", "filter.event_names", "not a known field")]
    public void Invalid_new_fields_are_refused_naming_rule_and_field(string filter, string field, string problem)
    {
        var ex = Assert.Throws<PatternRuleException>(() => Rules.One(Filter(filter), code: "bad_rule"));

        Assert.Contains("'bad_rule'", ex.Message);
        Assert.Contains($"'{field}'", ex.Message);
        Assert.Contains(problem, ex.Message);
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void A_negative_filter_reports_its_own_path()
    {
        var ex = Assert.Throws<PatternRuleException>(() => Rules.One(
            "\"filter\":{\"semantic_words\":\"checkout\"},\"negative_filter\":{\"property\":{\"name\":\"x\",\"equals\":{}}}", code: "neg"));

        Assert.Equal("negative_filter.property.equals", ex.Field);
    }
}
