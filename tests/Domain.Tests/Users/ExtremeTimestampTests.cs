using System.Text.Json;
using SessionInsights.Domain.Events;
using SessionInsights.Domain.Users;

namespace SessionInsights.Domain.Tests.Users;

/// <summary>
/// Issue 18: an accepted event at either end of what a timestamp can hold must never make a user
/// unreadable. These apply them to a user with the real enricher and rules and do everything a grain does.
/// </summary>
public class ExtremeTimestampTests
{
    private const string User = "u-extreme";

    public static TheoryData<string> Extremes() => new()
    {
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00-14:00",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59+14:00",
        "9999-12-31T23:59:59.999999Z",
        "2025-12-08T21:48:08+14:00",
        "2025-12-08T21:48:08-14:00",
    };

    private static PostHogEvent Event(string name, DateTimeOffset at, string session = "s1")
    {
        using var doc = JsonDocument.Parse($$"""{"$session_id":"{{session}}","$pathname":"/products","$current_url":"http://localhost/products","$title":"Products"}""");
        return new PostHogEvent(Guid.NewGuid(), name, User, at, doc.RootElement.Clone(), null);
    }

    [Theory]
    [MemberData(nameof(Extremes))]
    public void A_user_with_an_extreme_event_applies_closes_renders_and_restores(string timestamp)
    {
        Assert.True(TimestampParser.TryParse(timestamp, out var at));
        var now = DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        AssertNeverThrows(at, now);
    }

    [Fact]
    public void The_largest_and_smallest_instants_never_throw()
    {
        var now = DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        AssertNeverThrows(DateTimeOffset.MaxValue.AddSeconds(-1), now);
        AssertNeverThrows(DateTimeOffset.MaxValue, now);
        AssertNeverThrows(DateTimeOffset.MinValue, now);
        // The wall clock itself at an extreme (a test clock, a broken host) must not throw either.
        AssertNeverThrows(DateTimeOffset.MaxValue, DateTimeOffset.MaxValue);
        AssertNeverThrows(DateTimeOffset.MinValue, DateTimeOffset.MinValue);
    }

    private static void AssertNeverThrows(DateTimeOffset at, DateTimeOffset now)
    {
        var user = new UserActivity(User, InsightsOptions.Default);
        user.Apply(Event("$pageview", now), now);
        user.Apply(Event("$pageview", at), now);
        user.Apply(Event("$rageclick", at), now);
        user.Apply(Event("$pageview", at, session: "s2"), now);
        user.Apply(Event("item_added_to_cart", now, session: "s2"), now);
        // Events without a session id join the active one by time.
        using (var doc = JsonDocument.Parse("""{"$pathname":"/"}"""))
        {
            user.Apply(new PostHogEvent(Guid.NewGuid(), "$pageview", User, at, doc.RootElement.Clone(), null), now);
        }

        _ = user.NextIdleCheck(now);
        _ = user.CloseIdleSessions(now);
        _ = user.CloseIdleSessions(DateTimeOffset.MaxValue);
        _ = user.NextIdleCheck(now);
        foreach (var lookback in new TimeSpan?[] { null, TimeSpan.FromHours(1), TimeSpan.MaxValue })
        {
            using var ctx = JsonDocument.Parse(user.RenderContext(20, lookback, now));
            Assert.Equal(User, ctx.RootElement.GetProperty("user_id").GetString());
            _ = user.RecentEvents(20, lookback, now);
        }

        var recent = user.RecentEvents(100, null, now);
        var restored = UserActivity.FromSnapshot(User, user.ToSnapshot(), recent, InsightsOptions.Default);
        using var again = JsonDocument.Parse(restored.RenderContext(20, null, now));
        Assert.Equal(
            JsonDocument.Parse(user.RenderContext(20, null, now)).RootElement.GetProperty("last_session").GetRawText(),
            again.RootElement.GetProperty("last_session").GetRawText());
        _ = restored.NextIdleCheck(now);
        restored.Apply(Event("$pageview", at), now);
        _ = restored.CloseIdleSessions(now);
    }
}
