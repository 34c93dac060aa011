using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Domain.Tests.Monitoring;

public sealed class RuleFiringCountsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 30, TimeSpan.Zero);

    [Fact]
    public void Counts_each_project_and_rule_over_the_last_hour_and_the_last_day()
    {
        var counts = new RuleFiringCounts();
        counts.Add(new(1, "cart", "u1", T0), T0);
        counts.Add(new(1, "cart", "u2", T0.AddMinutes(-59)), T0);
        counts.Add(new(1, "cart", "u3", T0.AddMinutes(-61)), T0);
        counts.Add(new(1, "cart", "u4", T0.AddHours(-23)), T0);
        counts.Add(new(1, "cart", "u5", T0.AddHours(-25)), T0);
        counts.Add(new(1, "rage", "u1", T0.AddMinutes(-2)), T0);
        counts.Add(new(2, "cart", "u1", T0), T0);

        Assert.Equal([new RuleFiringCount("cart", 2, 4), new RuleFiringCount("rage", 1, 1)], counts.For(1, T0));
        Assert.Equal([new RuleFiringCount("cart", 1, 1)], counts.For(2, T0));
    }

    [Fact]
    public void Figures_slide_with_time_and_a_slot_reused_a_day_later_starts_from_zero()
    {
        var counts = new RuleFiringCounts();
        counts.Add(new(1, "cart", "u1", T0), T0);
        counts.Add(new(1, "cart", "u1", T0), T0);
        Assert.Equal([new RuleFiringCount("cart", 0, 2)], counts.For(1, T0.AddHours(2)));

        // Same minute of the next day: the same slot, which must not add yesterday's two.
        var tomorrow = T0.AddDays(1);
        counts.Add(new(1, "cart", "u2", tomorrow), tomorrow);
        Assert.Equal([new RuleFiringCount("cart", 1, 1)], counts.For(1, tomorrow));
    }

    [Fact]
    public void A_node_clock_ahead_counts_as_now_and_rules_quiet_for_a_day_are_forgotten()
    {
        var counts = new RuleFiringCounts();
        counts.Add(new(1, "cart", "u1", T0.AddMinutes(10)), T0);
        Assert.Equal([new RuleFiringCount("cart", 1, 1)], counts.For(1, T0));

        counts.Prune(T0.AddHours(23));
        Assert.Single(counts.For(1, T0.AddHours(23)));
        counts.Prune(T0.AddHours(25));
        Assert.Empty(counts.For(1, T0.AddHours(25)));
        Assert.Empty(counts.For(1, T0));
    }
}
