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

    /// <summary>Put as a string value into an event, then pass the JSON text through <see cref="CutInEmoji"/>.</summary>
    public const string CutInEmojiMarker = "CUT-IN-EMOJI";

    /// <summary>
    /// Replaces <see cref="CutInEmojiMarker"/> in <paramref name="json"/> with text cut in the middle of
    /// an emoji, as a client that slices UTF-16 text writes it (<c>JSON.stringify</c> keeps the lone
    /// half as <c>\ud83d</c>). Valid JSON, so the gateway stores the event; the domain cannot read the
    /// text, so the user grain marks the event FAILED: a real domain rejection.
    /// </summary>
    public static string CutInEmoji(string json)
    {
        var marker = $"\"{CutInEmojiMarker}\"";
        Assert.Contains(marker, json);
        return json.Replace(marker, "\"Caf\\u00e9 \\u2615\\ud83d\"");
    }

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
