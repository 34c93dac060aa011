using System.Text;
using System.Text.Json;

namespace SessionInsights.Gateway.Live;

/// <summary>
/// The SSE text of the stream. Written by hand rather than with TypedResults.ServerSentEvents: the
/// stream needs keep-alive comments (proxies close a silent connection) and a first <c>retry:</c>
/// line, which the SseItem model cannot express.
/// </summary>
internal static class StreamOutput
{
    public const string ContentType = "text/event-stream";
    public const string Reset = "reset";

    /// <summary>How long a client waits before reconnecting (EventSource honours it).</summary>
    public const int RetryMs = 1000;

    public static readonly TimeSpan KeepAliveEvery = TimeSpan.FromSeconds(15);

    public static string ResetData(string lastEventId) =>
        JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["reason"] = "last_event_id_unknown",
            ["last_event_id"] = lastEventId,
            ["detail"] = "The stream no longer holds what followed this id; read GET /session/context/{user_id} again, then go on with this stream.",
        });

    /// <summary>One event; the JSON data is one line (no indentation, escaped newlines). A reset carries no id, so the client's last id stays.</summary>
    public static void Append(StringBuilder sb, Domain.Live.StreamItem item)
    {
        if (item.Id.Length > 0)
        {
            sb.Append("id: ").Append(item.Id).Append('\n');
        }
        sb.Append("event: ").Append(item.Type).Append('\n');
        sb.Append("data: ").Append(item.Data).Append("\n\n");
    }

    public static void AppendComment(StringBuilder sb, string comment) => sb.Append(": ").Append(comment).Append("\n\n");

    /// <summary>An SSE id is one line without NUL; ours are short.</summary>
    public static bool IsValidId(string id) =>
        id.Length is > 0 and <= 512 && !id.AsSpan().ContainsAny('\r', '\n', '\0');
}
