using System.Text.Json;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Users;
using SessionInsights.Tests.Shared;
using static SessionInsights.Domain.Tests.Support.Ev;

namespace SessionInsights.Domain.Tests.Patterns;

/// <summary>
/// Every shipped rule fires on its journey and stays silent on its near miss, through the real
/// enricher, session tracking and context renderer (the journeys are PostHog events, not labels).
/// </summary>
public class ShippedRulesTests
{
    public static TheoryData<string> Codes => [.. ShippedRuleJourneys.All.Select(j => j.Code)];

    [Fact]
    public void Every_shipped_rule_has_exactly_one_journey()
    {
        var shipped = PatternRuleSet.Default.Rules.Select(r => r.Code).Order().ToList();
        var journeys = ShippedRuleJourneys.All.Select(j => j.Code).Order().ToList();

        Assert.Equal(25, shipped.Count);
        Assert.Equal(shipped, journeys);
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void Journey_fires_the_rule(string code)
    {
        var journey = ShippedRuleJourneys.All.Single(j => j.Code == code);

        var (patterns, labels) = Run(journey.Fires);

        Assert.True(patterns.Contains(code), $"{code} did not fire; labels: {string.Join(" | ", labels)}; patterns: {string.Join(", ", patterns)}");
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void Near_miss_keeps_the_rule_silent(string code)
    {
        var journey = ShippedRuleJourneys.All.Single(j => j.Code == code);

        var (patterns, labels) = Run(journey.NearMiss);

        Assert.False(patterns.Contains(code), $"{code} fired on its near miss ({journey.NearMissIs}); labels: {string.Join(" | ", labels)}");
    }

    /// <summary>Applies the steps as one session of one user; returns the context's pattern codes and event labels.</summary>
    private static (List<string> Patterns, List<string> Labels) Run(IReadOnlyList<JourneyStep> steps)
    {
        var user = new UserActivity("u-journey", InsightsOptions.Default);
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
        var context = JsonDocument.Parse(user.RenderContext(100, null, last)).RootElement;
        Assert.Equal(steps.Count, context.GetProperty("recent_events").GetArrayLength());
        return (
            [.. context.GetProperty("patterns").EnumerateArray().Select(p => p.GetProperty("code").GetString()!)],
            [.. context.GetProperty("recent_events").EnumerateArray().Select(e => e.GetProperty("semantic_label").GetString()!)]);
    }
}
