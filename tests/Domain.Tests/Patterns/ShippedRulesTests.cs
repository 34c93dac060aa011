using System.Text.Json;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Users;
using SessionInsights.Tests.Shared;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Patterns;

/// <summary>
/// Every rule of every shipped pack fires on its journey and stays silent on its near miss, through
/// the real enricher, session tracking and context renderer (the journeys are PostHog events, not labels).
/// </summary>
public class ShippedRulesTests
{
    public static TheoryData<string, string> Rules
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var pack in RulePacks.Names)
            {
                foreach (var journey in PackRuleJourneys.ForPack(pack))
                {
                    data.Add(pack, journey.Code);
                }
            }
            return data;
        }
    }

    public static TheoryData<string> Packs => [.. RulePacks.Names];

    [Theory]
    [MemberData(nameof(Packs))]
    public void Every_rule_of_a_pack_has_exactly_one_journey(string pack)
    {
        var rules = RulePacks.Load(pack).Rules.Select(r => r.Code).Order().ToList();
        var journeys = PackRuleJourneys.ForPack(pack).Select(j => j.Code).Order().ToList();

        Assert.Equal(rules, journeys);
    }

    [Fact]
    public void The_seed_pack_has_the_seeds_25_rules()
    {
        Assert.Equal(25, RulePacks.Load(RulePacks.Seed).Count);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Journey_fires_the_rule(string pack, string code)
    {
        var journey = PackRuleJourneys.ForPack(pack).Single(j => j.Code == code);

        var (patterns, labels) = Run(pack, journey.Fires);

        Assert.True(patterns.Contains(code), $"{pack}/{code} did not fire; labels: {string.Join(" | ", labels)}; patterns: {string.Join(", ", patterns)}");
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Near_miss_keeps_the_rule_silent(string pack, string code)
    {
        var journey = PackRuleJourneys.ForPack(pack).Single(j => j.Code == code);

        var (patterns, labels) = Run(pack, journey.NearMiss);

        Assert.False(patterns.Contains(code), $"{pack}/{code} fired on its near miss ({journey.NearMissIs}); labels: {string.Join(" | ", labels)}");
    }

    /// <summary>Applies the steps as one session of one user; returns the context's pattern codes and event labels.</summary>
    internal static (List<string> Patterns, List<string> Labels) Run(string pack, IReadOnlyList<JourneyStep> steps)
    {
        var context = Context(pack, steps, after: TimeSpan.Zero);
        Assert.Equal(steps.Count, context.GetProperty("recent_events").GetArrayLength());
        return (
            [.. context.GetProperty("patterns").EnumerateArray().Select(p => p.GetProperty("code").GetString()!)],
            [.. context.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("semantic_label").GetString()!)]);
    }

    /// <summary>The context read <paramref name="after"/> the journey's last event.</summary>
    internal static JsonElement Context(string pack, IReadOnlyList<JourneyStep> steps, TimeSpan after, bool confirmedOnly = false)
    {
        var user = new UserActivity("u-journey", InsightsOptions.Default with { Rules = RulePacks.Load(pack) });
        var last = T0;
        foreach (var step in steps)
        {
            var properties = new Dictionary<string, string> { ["$session_id"] = "s-journey", ["$pathname"] = step.Path };
            foreach (var (key, value) in step.Properties ?? new Dictionary<string, string>())
            {
                properties[key] = value;
            }
            var at = At(step.At);
            var e = new PostHogEvent(Guid.CreateVersion7(), step.Event, "u-journey", at, JsonSerializer.SerializeToElement(properties), step.ElementsChain);
            user.Apply(e, at);
            last = at > last ? at : last;
        }
        return JsonDocument.Parse(user.RenderContext(100, null, last + after, confirmedOnly)).RootElement.Clone();
    }
}
