using System.Buffers;
using System.Globalization;

namespace SessionInsights.Cli.Load;

/// <summary>
/// Writes a PostHog <c>POST /batch</c> body, <c>{"api_key": …, "sent_at": …, "batch": [events]}</c>,
/// the way posthog-node and posthog-python send it; each event object is the one /ingest would carry.
/// </summary>
internal static class BatchBodyWriter
{
    public const string ApiKey = "phc_loadtest";

    public static byte[] Write(IReadOnlyList<GeneratedEvent> events, DateTimeOffset sentAt, string apiKey = ApiKey)
    {
        var size = 64 + apiKey.Length;
        foreach (var e in events)
        {
            size += e.EventJson.Length + 1;
        }
        var buffer = new ArrayBufferWriter<byte>(size);
        Append(buffer, "{\"api_key\":\"" + apiKey + "\",\"sent_at\":\""
            + sentAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "\",\"batch\":[");
        for (var i = 0; i < events.Count; i++)
        {
            if (i > 0)
            {
                buffer.Write(","u8);
            }
            buffer.Write(events[i].EventJson.Span);
        }
        buffer.Write("]}"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Append(ArrayBufferWriter<byte> buffer, string ascii)
    {
        var span = buffer.GetSpan(ascii.Length);
        var written = System.Text.Encoding.ASCII.GetBytes(ascii, span);
        buffer.Advance(written);
    }
}
