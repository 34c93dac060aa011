using System.Text.Json;
using SessionInsights.Domain.Events;

namespace SessionInsights.Grains.Tests.Support;

/// <summary>PostHog events as the gateway accepts them (microsecond timestamps, v7 uuids), one session per stream.</summary>
internal static class TestEvents
{
    public static string NewUser(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>
    /// <paramref name="count"/> events of one session, a second apart and ending some minutes ago
    /// (well inside the 30-minute idle timeout, so the session stays open and contexts do not
    /// change by themselves): page views and button clicks alternating.
    /// </summary>
    public static List<PostHogEvent> Stream(string user, int count, int from = 0, DateTimeOffset? start = null)
    {
        var origin = start ?? Origin;
        return [.. Enumerable.Range(from, count).Select(i => One(user, i, origin.AddSeconds(i)))];
    }

    /// <summary>Timestamps of every stream: whole milliseconds, as PostHog sends them, early enough for 1,000 events.</summary>
    public static readonly DateTimeOffset Origin = TruncateToMs(DateTimeOffset.UtcNow.AddMinutes(-20));

    private static PostHogEvent One(string user, int i, DateTimeOffset at)
    {
        var path = $"/shop/item-{i % 7}";
        var session = $"s-{user}";
        if (i % 2 == 0)
        {
            return new PostHogEvent(Guid.CreateVersion7(), "$pageview", user, at,
                Json($$"""{"$session_id":"{{session}}","$pathname":"{{path}}","$current_url":"https://shop.example{{path}}","title":"Item {{i % 7}}","token":"phc_test"}"""),
                null);
        }
        return new PostHogEvent(Guid.CreateVersion7(), "$autocapture", user, at,
            Json($$"""{"$session_id":"{{session}}","$pathname":"{{path}}","$event_type":"click","token":"phc_test"}"""),
            $"button.btn:attr__class=\"btn\"nth-child=\"1\"nth-of-type=\"1\"text=\"Add {i}\";div.card:nth-child=\"1\"");
    }

    private static JsonElement Json(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    private static DateTimeOffset TruncateToMs(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
