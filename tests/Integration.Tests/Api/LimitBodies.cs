using System.Text;
using System.Text.Json;

namespace SessionInsights.Integration.Tests.Api;

/// <summary>
/// Request bodies built to an exact size or JSON depth, measured on the final bytes, for the limit
/// boundary tests. Shapes: <c>/ingest</c> takes a webhook envelope, <c>/batch</c> a batch object, any
/// other capture path a bare event (single) or an array of events (batch).
/// </summary>
internal static class LimitBodies
{
    public const string Token = "phc_limits";
    public const int TwoMiB = 2 * 1024 * 1024;
    public const int TwentyMiB = 20 * 1024 * 1024;

    /// <summary>One event whose <c>blob</c> property pads the whole body to exactly <paramref name="bytes"/>.</summary>
    public static byte[] SingleEvent(string path, string user, Guid uuid, int bytes) =>
        Exactly(bytes, padding => Single(path, Event(user, uuid, Quoted(padding))));

    /// <summary>A batch of events with <c>blob</c> properties that pad the whole body to exactly <paramref name="bytes"/>.</summary>
    public static byte[] Batch(string path, string user, IReadOnlyList<Guid> uuids, int bytes) =>
        Exactly(bytes, padding =>
        {
            var each = padding / uuids.Count;
            var events = uuids.Select((uuid, i) => Event(user, uuid, Quoted(i == 0 ? padding - (each * (uuids.Count - 1)) : each)));
            return Many(path, $"[{string.Join(",", events)}]");
        });

    /// <summary>
    /// One event whose <c>deep</c> property nests arrays so that the whole body is <paramref name="depth"/>
    /// levels deep; also how many arrays that took.
    /// </summary>
    public static (byte[] Body, int Arrays) Nested(string path, string user, Guid uuid, int depth, bool asBatch)
    {
        string Body(int arrays)
        {
            var deep = arrays == 0 ? "null" : new string('[', arrays) + new string(']', arrays);
            var evt = Event(user, uuid, "\"\"", deep);
            return asBatch ? Many(path, $"[{evt}]") : Single(path, evt);
        }
        // The levels the shape itself takes (envelope, batch, event, properties) are measured, not assumed.
        var arrays = depth - Depth(Encoding.UTF8.GetBytes(Body(0)));
        var body = Encoding.UTF8.GetBytes(Body(arrays));
        return Depth(body) == depth ? (body, arrays) : throw new InvalidOperationException($"built {Depth(body)} levels, not {depth}");
    }

    /// <summary>The deepest nesting of objects and arrays in <paramref name="json"/> (the root counts as 1).</summary>
    public static int Depth(byte[] json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 10_000 });
        var max = 0;
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                max = Math.Max(max, reader.CurrentDepth + 1);
            }
        }
        return max;
    }

    private static byte[] Exactly(int bytes, Func<int, string> withPadding)
    {
        var unpadded = Encoding.UTF8.GetByteCount(withPadding(0));
        var body = Encoding.UTF8.GetBytes(withPadding(bytes - unpadded));
        return body.Length == bytes ? body : throw new InvalidOperationException($"built {body.Length} bytes, not {bytes}");
    }

    private static string Quoted(int length) => "\"" + new string('x', length) + "\"";

    private static string Single(string path, string evt) => path == "/ingest" ? $"{{\"event\": {evt}}}" : evt;

    private static string Many(string path, string events) => path == "/batch" ? $"{{\"api_key\": \"{Token}\", \"batch\": {events}}}" : events;

    private static string Event(string user, Guid uuid, string blob, string deep = "null") =>
        $"{{\"uuid\": \"{uuid}\", \"event\": \"$pageview\", \"distinct_id\": \"{user}\", \"timestamp\": \"{DateTimeOffset.UtcNow.AddMinutes(-10):O}\", "
        + $"\"properties\": {{\"token\": \"{Token}\", \"$session_id\": \"s-{user}\", \"$pathname\": \"/limits\", \"blob\": {blob}, \"deep\": {deep}}}}}";
}
