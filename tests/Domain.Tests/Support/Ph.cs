using System.Text;
using System.Text.Json;
using SessionInsights.Domain.Enrichment;
using SessionInsights.Domain.Events;

namespace SessionInsights.Domain.Tests.Support;

/// <summary>PostHog events for user-level tests, and a small stand-in for the enricher.</summary>
internal static class Ph
{
    private static int _next;

    public static PostHogEvent Event(
        string name,
        DateTimeOffset at,
        string? session = "s1",
        string user = "u1",
        string? label = null,
        string path = "/",
        Guid? uuid = null)
    {
        var props = new Dictionary<string, object?> { ["$pathname"] = path };
        if (session is not null)
        {
            props["$session_id"] = session;
        }
        if (label is not null)
        {
            props["label"] = label;
        }
        return new PostHogEvent(
            uuid ?? IdOf(Interlocked.Increment(ref _next)),
            name,
            user,
            at,
            JsonSerializer.SerializeToElement(props),
            null);
    }

    public static PostHogEvent PageView(DateTimeOffset at, string path = "/", string? session = "s1") =>
        Event("$pageview", at, session, path: path, label: $"Viewed {path} page");

    public static PostHogEvent Click(DateTimeOffset at, string label = "Clicked 'Buy' button", string? session = "s1", string path = "/") =>
        Event("$autocapture", at, session, label: label, path: path);

    /// <summary>
    /// Enough of SPEC §2–§4 for session tests: the label comes from a <c>label</c> property. The real
    /// enricher is tested by its own suite and by the tests marked as using it.
    /// </summary>
    public static EnrichedEvent FakeEnrich(PostHogEvent e, string? sessionId)
    {
        var props = e.Properties;
        var path = props.TryGetProperty("$pathname", out var p) ? p.GetString()! : "/";
        var (type, action) = e.Event switch
        {
            "$pageview" => ("pageview", "view"),
            "$pageleave" => ("navigation", "leave"),
            "$rageclick" => ("click", "rage_click"),
            "$autocapture" => ("click", "click"),
            _ => ("custom", "click"),
        };
        return new EnrichedEvent
        {
            EnrichedEventId = e.Uuid,
            RawEventId = e.Uuid,
            UserId = e.DistinctId,
            SessionId = sessionId,
            EventName = e.Event,
            EventType = type,
            ActionType = action,
            SemanticLabel = props.TryGetProperty("label", out var l) ? l.GetString()! : e.Event,
            Timestamp = e.Timestamp,
            PagePath = path,
            PageTitle = path == "/" ? "home page" : path.TrimStart('/') + " page",
            Context = new EventContext(Encoding.UTF8.GetBytes($$"""{"posthog_event":"{{e.Event}}","n":[1,2]}""")),
        };
    }

    private static Guid IdOf(int n)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, n);
        bytes[15] = 0x5A;
        return new Guid(bytes);
    }
}
