using System.Text.Json.Nodes;

namespace SessionInsights.Integration.Tests.Infrastructure;

/// <summary>PostHog events as a webhook would post them, built for tests.</summary>
public static class TestEvents
{
    public static JsonObject Envelope(JsonObject evt) => new() { ["event"] = evt };

    public static JsonObject Pageview(string user, string session, DateTimeOffset at, string path, Guid? uuid = null) =>
        Event("$pageview", user, session, at, path, null, uuid);

    public static JsonObject Click(string user, string session, DateTimeOffset at, string path, string text, Guid? uuid = null) =>
        Event("$autocapture", user, session, at, path, $"button.btn:attr__class=\"btn\"nth-child=\"1\"nth-of-type=\"1\"text=\"{text}\";div.card:nth-child=\"1\"", uuid, ("$event_type", "click"));

    public static JsonObject Rage(string user, string session, DateTimeOffset at, string path, string text) =>
        Event("$rageclick", user, session, at, path, $"button.btn:text=\"{text}\"", null);

    public static JsonObject Custom(string name, string user, string session, DateTimeOffset at, string path, params (string Key, string Value)[] props) =>
        Event(name, user, session, at, path, null, null, props);

    public static JsonObject Event(string name, string user, string session, DateTimeOffset at, string path, string? chain, Guid? uuid, params (string Key, string Value)[] props)
    {
        var properties = new JsonObject { ["$session_id"] = session, ["$pathname"] = path, ["token"] = "test" };
        foreach (var (k, v) in props)
        {
            properties[k] = v;
        }
        return new JsonObject
        {
            ["uuid"] = (uuid ?? Guid.NewGuid()).ToString(),
            ["event"] = name,
            ["distinct_id"] = user,
            ["timestamp"] = at.ToString("O"),
            ["properties"] = properties,
            ["elements_chain"] = chain,
        };
    }
}
