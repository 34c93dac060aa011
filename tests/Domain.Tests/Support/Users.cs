using System.Text.Json;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Patterns;
using SessionInsights.Domain.Users;

namespace SessionInsights.Domain.Tests.Support;

internal static class Users
{
    /// <summary>The seed pack unless told: these tests were written against the seeds' rules.</summary>
    public static InsightsOptions Options(PatternRuleSet? rules = null, int capacity = 100) =>
        new() { Rules = rules ?? RulePacks.Load(RulePacks.Seed), RecentEventsCapacity = capacity };

    public static UserActivity New(string user = "u1", InsightsOptions? options = null) =>
        new(user, options ?? Options(), Ph.FakeEnrich);

    /// <summary>
    /// Restores like the user grain does: the snapshot plus the latest stored events, which are all
    /// events applied so far (<paramref name="stored"/>, in application order) sorted like storage sorts them.
    /// </summary>
    public static UserActivity Restore(UserActivity from, IEnumerable<EnrichedEvent> stored, InsightsOptions? options = null)
    {
        options ??= Options();
        var recent = stored
            .OrderBy(e => e.Timestamp.UtcTicks)
            .ThenBy(e => e.SequenceNumber)
            .TakeLast(options.RecentEventsCapacity)
            .ToList();
        return UserActivity.FromSnapshot(from.UserId, from.ToSnapshot(), recent, options, Ph.FakeEnrich);
    }

    public static JsonElement Context(UserActivity user, int limit = 20, TimeSpan? lookback = null, DateTimeOffset? now = null) =>
        JsonDocument.Parse(user.RenderContext(limit, lookback, now ?? Ev.T0.AddDays(1))).RootElement.Clone();
}
