using System.Text.Json;
using SessionInsights.Grains.Patterns;
using SessionInsights.Grains.Users;

namespace SessionInsights.Grains.Tests.Support;

internal static class Users
{
    public static InsightsOptions Options(PatternRuleSet? rules = null, int capacity = 100) =>
        new() { Rules = rules ?? PatternRuleSet.Default, RecentEventsCapacity = capacity };

    public static UserActivity New(string user = "u1", InsightsOptions? options = null) =>
        new(user, options ?? Options(), Ph.FakeEnrich);

    public static UserActivity Restore(UserActivity from, InsightsOptions? options = null) =>
        UserActivity.FromSnapshot(from.UserId, from.ToSnapshot(), options ?? Options(), Ph.FakeEnrich);

    public static JsonElement Context(UserActivity user, int limit = 20, TimeSpan? lookback = null, DateTimeOffset? now = null) =>
        JsonDocument.Parse(user.RenderContext(limit, lookback, now ?? Ev.T0.AddDays(1))).RootElement.Clone();
}
