using SessionInsights.Domain.Enrichment;

namespace SessionInsights.Domain.Tests.Support;

/// <summary>Builds enriched events directly, so session and pattern tests do not depend on the enricher.</summary>
internal static class Ev
{
    public static readonly DateTimeOffset T0 = new(2025, 12, 9, 10, 0, 0, TimeSpan.Zero);

    private static int _next;

    public static DateTimeOffset At(double seconds) => T0.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    public static EnrichedEvent Make(
        string label,
        DateTimeOffset timestamp,
        string eventType = "click",
        string actionType = "click",
        string path = "/",
        string? title = null,
        string? name = null,
        string? session = "s1",
        string user = "u1",
        string? elementType = null,
        string? elementText = null,
        string contextJson = "{}") => new()
        {
            EnrichedEventId = IdOf(Interlocked.Increment(ref _next)),
            RawEventId = Guid.NewGuid(),
            UserId = user,
            SessionId = session,
            EventName = name ?? eventType switch
            {
                "pageview" => "$pageview",
                "navigation" => "$pageleave",
                "custom" => "custom_event",
                _ => actionType == "rage_click" ? "$rageclick" : "$autocapture",
            },
            EventType = eventType,
            ActionType = actionType,
            SemanticLabel = label,
            Timestamp = timestamp,
            PagePath = path,
            PageTitle = title ?? (path == "/" ? "home page" : path.TrimStart('/') + " page"),
            ElementType = elementType,
            ElementText = elementText,
            Context = new EventContext(System.Text.Encoding.UTF8.GetBytes(contextJson)),
        };

    public static EnrichedEvent PageView(string path, DateTimeOffset at, string? title = null, string? session = "s1") =>
        Make($"Viewed {title ?? path.TrimStart('/') + " page"}", at, "pageview", "view", path, title, session: session);

    public static EnrichedEvent Click(string label, DateTimeOffset at, string path = "/", string? session = "s1") =>
        Make(label, at, "click", "click", path, session: session);

    public static EnrichedEvent RageClick(string label, DateTimeOffset at, string path = "/") =>
        Make(label, at, "click", "rage_click", path);

    public static EnrichedEvent Custom(string label, DateTimeOffset at, string path = "/") =>
        Make(label, at, "custom", "click", path);

    public static EnrichedEvent Leave(DateTimeOffset at, string path = "/") =>
        Make("Left page", at, "navigation", "leave", path);

    private static Guid IdOf(int n)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, n);
        return new Guid(bytes);
    }
}
