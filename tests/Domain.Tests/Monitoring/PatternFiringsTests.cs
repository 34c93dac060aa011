using SessionInsights.Grains.Monitoring;

namespace SessionInsights.Domain.Tests.Monitoring;

public sealed class PatternFiringsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Counts_per_rule_within_the_window_with_latest_distinct_users_first()
    {
        var firings = new PatternFirings();
        firings.Fired(1, "old_rule", "u0", T0.AddHours(-2));
        firings.Fired(1, "cart", "u1", T0.AddMinutes(1));
        firings.Fired(1, "cart", "u2", T0.AddMinutes(2));
        firings.Fired(1, "cart", "u1", T0.AddMinutes(3));
        firings.Fired(1, "rage", "u3", T0.AddMinutes(4));

        var summary = PatternFirings.Summarize(firings.Since(T0.AddHours(-1)), usersPerRule: 5);

        Assert.Equal(["cart", "rage"], summary.Select(s => s.Rule));
        Assert.Equal(3, summary[0].Count);
        Assert.Equal(["u1", "u2"], summary[0].Users);
        Assert.Equal(T0.AddMinutes(3), summary[0].LastAt);
        Assert.Equal(1, summary[1].Count);
    }

    [Fact]
    public void Only_the_latest_firings_are_kept()
    {
        var firings = new PatternFirings(capacity: 2);
        firings.Fired(1, "a", "u1", T0);
        firings.Fired(1, "b", "u2", T0);
        firings.Fired(1, "c", "u3", T0);
        Assert.Equal(["b", "c"], firings.Since(T0).Select(f => f.Rule));
    }
}
